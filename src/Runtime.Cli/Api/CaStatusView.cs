namespace Runtime.Cli.Api;

/// <summary>The CA as <c>meshctl ca status</c> prints it.</summary>
/// <param name="RootSubject">The signing root's subject.</param>
/// <param name="RootSha256">SHA-256 fingerprint of the signing root, lowercase hex.</param>
/// <param name="RootNotAfter">When the signing root expires.</param>
/// <param name="TrustDomain">The mesh trust domain.</param>
/// <param name="TrustDomainAliases">Trust domains also accepted.</param>
/// <param name="Mode">self-signed or plugged-in.</param>
/// <param name="Issued">Certificates issued since the control plane started.</param>
/// <param name="Rejected">Signing requests refused since the control plane started.</param>
/// <param name="DefaultTtl">Default workload certificate lifetime.</param>
/// <param name="MaxTtl">Longest workload certificate lifetime.</param>
/// <param name="Phase">Root rotation phase: STABLE, PREPARED or SWITCHED.</param>
/// <param name="Generation">Raised by every change of roots or signer.</param>
/// <param name="Roots">The trust bundle, the signing root marked.</param>
/// <param name="Progress">How far the connected proxies have followed the current generation.</param>
internal sealed record CaStatusView(
    string RootSubject, string RootSha256, DateTimeOffset RootNotAfter, string TrustDomain, IReadOnlyList<string> TrustDomainAliases,
    string Mode, long Issued, long Rejected, TimeSpan DefaultTtl, TimeSpan MaxTtl,
    string Phase, long Generation, IReadOnlyList<TrustedRootView> Roots, RotationProgressView Progress);
