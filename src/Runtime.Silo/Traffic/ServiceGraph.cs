namespace Runtime.Silo.Traffic;

/// <summary>The body of <c>GET /api/dashboard/graph</c>: the service graph over the last <see cref="WindowSeconds"/>.</summary>
/// <param name="GeneratedAt">When the graph was built (UTC).</param>
/// <param name="WindowSeconds">The window asked for.</param>
/// <param name="Source">Where the numbers come from: <c>sidecars</c> (their heartbeats' traffic reports) or <c>prometheus</c>.</param>
/// <param name="Nodes">One per namespace, service and version seen (in traffic or registered), ordered by id.</param>
/// <param name="Edges">One per source and target node with traffic in the window, ordered by id.</param>
/// <param name="SourceError">Why the configured Prometheus could not be used (the graph is then the sidecars'); null otherwise.</param>
internal sealed record ServiceGraph(
    DateTime GeneratedAt, int WindowSeconds, string Source, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, string? SourceError = null);
