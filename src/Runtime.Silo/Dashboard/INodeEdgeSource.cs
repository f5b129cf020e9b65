namespace Runtime.Silo.Dashboard;

/// <summary>
/// Where <c>/api/dashboard/node</c> reads a node's graph edges from: the service graph's edge statistics.
/// Implemented by the service graph (Traffic/GraphNodeEdges).
/// </summary>
internal interface INodeEdgeSource
{
    /// <summary>Ids of the edges into and out of <paramref name="nodeId"/> in the default graph window.</summary>
    /// <param name="nodeId">The node id <c>namespace/service/version</c>.</param>
    (IReadOnlyList<string> Inbound, IReadOnlyList<string> Outbound) EdgesOf(string nodeId);
}
