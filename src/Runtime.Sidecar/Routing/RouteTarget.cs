namespace Runtime.Sidecar.Routing;

/// <summary>One weighted destination of a route, resolved to a cluster.</summary>
/// <param name="Cluster">The cluster to send to; resolve it with <see cref="RouteTable.GetCluster"/>.</param>
/// <param name="Weight">Its configured weight (100 for a lone destination).</param>
internal sealed record RouteTarget(ClusterKey Cluster, int Weight);
