namespace Runtime.Silo.Dashboard;

/// <summary>The body of <c>/api/dashboard/node</c>: one service version with its endpoints, proxies and config.</summary>
/// <param name="Id">The node id <c>namespace/service/version</c>.</param>
/// <param name="Service">The service.</param>
/// <param name="Namespace">The namespace.</param>
/// <param name="Version">The version.</param>
/// <param name="Host">The service's cluster-local host.</param>
/// <param name="Endpoints">The node's registered instances.</param>
/// <param name="Proxies">The node's proxies, as in <c>/api/dashboard/proxies</c>.</param>
/// <param name="Config">Resources that apply to the node.</param>
/// <param name="Inbound">Ids of graph edges into the node.</param>
/// <param name="Outbound">Ids of graph edges out of the node.</param>
internal sealed record DashboardNode(
    string Id, string Service, string Namespace, string Version, string Host, IReadOnlyList<DashboardEndpoint> Endpoints,
    IReadOnlyList<DashboardProxy> Proxies, IReadOnlyList<DashboardConfigRef> Config, IReadOnlyList<string> Inbound, IReadOnlyList<string> Outbound);
