namespace Runtime.Silo.Discovery;

/// <summary>One row of proxy status: the registration and where its config stands.</summary>
/// <param name="Proxy">The registration.</param>
/// <param name="State">Sync state.</param>
/// <param name="AckedVersion">The last version the proxy ACKed; empty when none.</param>
/// <param name="LatestVersion">The latest version computed for it; empty when none yet.</param>
/// <param name="NackError">Why it rejected a version since its last ACK; empty when it did not.</param>
internal sealed record ProxyStatusView(RegisteredProxy Proxy, SyncState State, string AckedVersion, string LatestVersion, string NackError);
