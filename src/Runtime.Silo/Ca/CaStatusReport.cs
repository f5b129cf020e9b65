namespace Runtime.Silo.Ca;

/// <summary>The CA as <c>meshctl ca status</c> shows it.</summary>
/// <param name="RootSubject">The signing root's subject.</param>
/// <param name="RootSha256">SHA-256 of the root's DER, lowercase hex.</param>
/// <param name="RootNotAfter">When the root expires.</param>
/// <param name="Settings">Trust domain, aliases and lifetimes.</param>
/// <param name="Mode">Self-signed or plugged-in.</param>
/// <param name="Issued">Leaves issued since start.</param>
/// <param name="Rejected">Signing requests refused since start.</param>
/// <param name="State">Roots, signer, rotation phase and generation.</param>
internal sealed record CaStatusReport(string RootSubject, string RootSha256, DateTimeOffset RootNotAfter, CaSettings Settings, string Mode, long Issued, long Rejected, CaState State);
