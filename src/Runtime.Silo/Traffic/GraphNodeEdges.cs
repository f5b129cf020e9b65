using Runtime.Silo.Dashboard;

namespace Runtime.Silo.Traffic;

/// <summary>A node's edges for the dashboard's node view, read from the service graph over the default window.</summary>
internal sealed class GraphNodeEdges(ServiceGraphBuilder builder) : INodeEdgeSource
{
    /// <inheritdoc />
    public (IReadOnlyList<string> Inbound, IReadOnlyList<string> Outbound) EdgesOf(string nodeId)
    {
        var graph = builder.Build(TrafficLimits.DefaultWindowSeconds);
        return (
            graph.Edges.Where(e => e.Target == nodeId).Select(e => e.Id).ToList(),
            graph.Edges.Where(e => e.Source == nodeId).Select(e => e.Id).ToList());
    }
}
