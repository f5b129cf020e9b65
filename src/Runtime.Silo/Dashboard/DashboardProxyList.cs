namespace Runtime.Silo.Dashboard;

/// <summary>The body of <c>/api/dashboard/proxies</c>.</summary>
/// <param name="Proxies">Every registered proxy, ordered by id.</param>
internal sealed record DashboardProxyList(IReadOnlyList<DashboardProxy> Proxies);
