namespace Runtime.Silo.Dashboard;

/// <summary>The body of <c>/api/dashboard/config</c>.</summary>
/// <param name="Proxies">Registered proxies.</param>
/// <param name="Resources">Every stored resource, ordered by kind, namespace and name.</param>
internal sealed record DashboardConfig(int Proxies, IReadOnlyList<DashboardResource> Resources);
