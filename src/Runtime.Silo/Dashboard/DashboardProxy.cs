namespace Runtime.Silo.Dashboard;

/// <summary>One row of <c>/api/dashboard/proxies</c>: a registered sidecar, its sync state and its certificate.</summary>
/// <param name="Id">The proxy id (<c>instance.namespace</c>).</param>
/// <param name="Service">The workload's service.</param>
/// <param name="Namespace">The workload's namespace.</param>
/// <param name="Version">The workload's <c>version</c> label; <c>unknown</c> when it has none.</param>
/// <param name="Instance">The instance name.</param>
/// <param name="Address">Where other sidecars reach it (<c>address:inboundPort</c>).</param>
/// <param name="State">SYNCED, STALE, NACKED or DISCONNECTED.</param>
/// <param name="Connected">Whether a config stream is open.</param>
/// <param name="AckedVersion">The last config version it ACKed; empty when none.</param>
/// <param name="LatestVersion">The latest version computed for it; empty when none yet.</param>
/// <param name="NackError">Why it rejected the latest version; null when it did not.</param>
/// <param name="LastHeartbeat">Its last heartbeat (UTC, so JSON writes it with <c>Z</c>).</param>
/// <param name="Certificate">Its reported workload certificate; null when it reported none.</param>
internal sealed record DashboardProxy(
    string Id, string Service, string Namespace, string Version, string Instance, string Address, string State, bool Connected,
    string AckedVersion, string LatestVersion, string? NackError, DateTime LastHeartbeat, DashboardCertificate? Certificate);
