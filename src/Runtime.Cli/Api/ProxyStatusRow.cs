namespace Runtime.Cli.Api;

/// <summary>One proxy as <c>meshctl proxy-status</c> shows it.</summary>
/// <param name="ProxyId">The proxy id.</param>
/// <param name="Instance">Instance name.</param>
/// <param name="Service">Service name.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="Address">Address and inbound port, <c>10.0.0.7:15006</c>.</param>
/// <param name="State">SYNCED, STALE, NACKED or DISCONNECTED.</param>
/// <param name="AckedVersion">The version the proxy applied; empty when none.</param>
/// <param name="LatestVersion">The latest version computed for it.</param>
/// <param name="NackError">Why it rejected a version since its last ACK.</param>
/// <param name="LastHeartbeat">Last heartbeat (or end of its stream).</param>
/// <param name="ProxyVersion">The sidecar's software version.</param>
/// <param name="Certificate">The workload certificate from its heartbeats; null when it reports none (plaintext only).</param>
internal sealed record ProxyStatusRow(
    string ProxyId, string Instance, string Service, string Namespace, string Address, string State,
    string AckedVersion, string LatestVersion, string NackError, DateTimeOffset? LastHeartbeat, string ProxyVersion,
    ReportedCertificate? Certificate = null);
