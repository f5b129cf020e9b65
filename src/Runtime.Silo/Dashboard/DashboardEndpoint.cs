namespace Runtime.Silo.Dashboard;

/// <summary>One endpoint of a node: a registered instance and what outlier detection says about it.</summary>
/// <param name="Address">The address other sidecars reach it at.</param>
/// <param name="Port">Its inbound (sidecar) port.</param>
/// <param name="Instance">The instance name.</param>
/// <param name="ProxyId">Its sidecar's proxy id.</param>
/// <param name="Version">Its <c>version</c> label.</param>
/// <param name="Health">HEALTHY while registered (expired registrations leave the registry).</param>
/// <param name="EjectedBy">Reporting proxies that have it ejected now.</param>
/// <param name="OutlierReason">Why it was last ejected; null when never.</param>
internal sealed record DashboardEndpoint(
    string Address, int Port, string Instance, string ProxyId, string Version, string Health, int EjectedBy, string? OutlierReason);
