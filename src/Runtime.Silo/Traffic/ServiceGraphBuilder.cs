using System.Globalization;
using Runtime.Abstractions.Telemetry;
using Runtime.Silo.Discovery;

namespace Runtime.Silo.Traffic;

/// <summary>
/// Builds the dashboard's service graph from the sidecars' traffic reports. An edge is the client sidecar's view
/// (<c>reporter="source"</c>); the server sidecar's view fills in only callers without a reporting sidecar: a caller
/// proven by mTLS whose principal no client-side report names, or plaintext requests to a node no client sidecar
/// reported plaintext traffic to.
/// </summary>
internal sealed class ServiceGraphBuilder(TrafficStore store, ProxyRegistry registry)
{
    /// <summary>Where <see cref="Build"/>'s numbers come from.</summary>
    public const string SidecarsSource = "sidecars";

    /// <summary>The graph of the last <paramref name="windowSeconds"/> seconds, from the sidecars' reports.</summary>
    public ServiceGraph Build(int windowSeconds)
    {
        var registeredIds = registry.Proxies.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var (end, slices) = store.Read(TimeSpan.FromSeconds(windowSeconds), registeredIds.Contains);
        return Assemble(end, windowSeconds, SidecarsSource, slices);
    }

    /// <summary>
    /// The graph of <paramref name="slices"/> (each reporter's counts per edge, with the time they cover), whatever
    /// they were read from: nodes of the registered proxies and of each edge's ends, edges by the reporter rule.
    /// </summary>
    public ServiceGraph Assemble(DateTimeOffset end, int windowSeconds, string source, IReadOnlyList<TrafficSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        var proxies = registry.Proxies;

        // What the client sidecars account for, so the server side's view of the same requests is not counted twice.
        var sourceReported = slices.SelectMany(s => s.Edges).Where(e => e.Key.SourceReporter).ToArray();
        var principals = sourceReported.Where(e => e.Key.SourcePrincipal != EdgeKey.Unknown).Select(e => (e.Key.SourcePrincipal, e.Key.TargetNode)).ToHashSet();
        var plaintextTargets = sourceReported.Where(e => e.Value.MtlsRequests < e.Value.Requests).Select(e => e.Key.TargetNode).ToHashSet(StringComparer.Ordinal);

        var edges = new Dictionary<(string Source, string Target), EdgeTotals>();
        var workloads = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            foreach (var (key, counts) in slice.Edges)
            {
                // The reporter is a mesh workload: the source of what it sent, or the target of what it served (even
                // when its view of the requests is not the one counted).
                workloads.Add(key.SourceReporter ? key.SourceNode : key.TargetNode);
                if (!key.SourceReporter && !CallerUnreported(key, counts, principals, plaintextTargets))
                {
                    continue;
                }

                var id = (key.SourceNode, key.TargetNode);
                if (!edges.TryGetValue(id, out var totals))
                {
                    edges.Add(id, totals = new EdgeTotals());
                }

                totals.Add(key, counts, slice.Covered);
            }
        }

        var graphEdges = Edges(edges);
        return new ServiceGraph(end.UtcDateTime, windowSeconds, source, Nodes(proxies, workloads, graphEdges), graphEdges);
    }

    private static bool CallerUnreported(EdgeKey key, EdgeCounts counts, HashSet<(string, string)> principals, HashSet<string> plaintextTargets) =>
        key.SourceWorkload == EdgeKey.Unknown
        && (key.SourcePrincipal != EdgeKey.Unknown
            ? !principals.Contains((key.SourcePrincipal, key.TargetNode))
            : counts.MtlsRequests < counts.Requests && !plaintextTargets.Contains(key.TargetNode));

    private static List<GraphEdge> Edges(Dictionary<(string Source, string Target), EdgeTotals> edges)
    {
        // Split: the edge's share of what its source sent to the same host, when that reached several versions.
        var byHost = edges.GroupBy(e => (e.Key.Source, Host: EdgeTotals.Busiest(e.Value.ByDestinationService)))
            .SelectMany(g => g.Select(e => (e.Key, Total: g.Sum(x => x.Value.Counts.Requests), Targets: g.Count())))
            .ToDictionary(x => x.Key, x => (x.Total, x.Targets));
        var result = new List<GraphEdge>(edges.Count);
        foreach (var ((source, target), totals) in edges.OrderBy(e => e.Key.Source, StringComparer.Ordinal).ThenBy(e => e.Key.Target, StringComparer.Ordinal))
        {
            var counts = totals.Counts;
            var (hostTotal, targets) = byHost[(source, target)];
            result.Add(new GraphEdge(
                $"{source}->{target}", source, target, EdgeTotals.Busiest(totals.ByDestinationService), EdgeTotals.Busiest(totals.ByProtocol),
                counts.Requests > 0 && counts.MtlsRequests == counts.Requests,
                Round(totals.Rps), counts.Requests == 0 ? 0 : Round((double)counts.Errors / counts.Requests),
                Quantile(0.5, counts), Quantile(0.99, counts),
                targets > 1 && hostTotal > 0 ? Round((double)counts.Requests / hostTotal) : null,
                counts.ResponseCodes.OrderBy(c => c.Key).ToDictionary(c => c.Key.ToString(CultureInfo.InvariantCulture), c => c.Value, StringComparer.Ordinal),
                counts.Requests, counts.Errors));
        }

        return result;
    }

    private static List<GraphNode> Nodes(IReadOnlyList<RegisteredProxy> proxies, HashSet<string> workloads, List<GraphEdge> edges)
    {
        var registered = proxies
            .GroupBy(p => NodeId.Of(p.Identity.Namespace, p.Identity.Service, p.Identity.Labels.GetValueOrDefault("version") ?? EdgeKey.Unknown), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ids = new SortedSet<string>(registered.Keys, StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            ids.Add(edge.Source);
            ids.Add(edge.Target);
        }

        var inboundOf = edges.ToLookup(e => e.Target, StringComparer.Ordinal);
        var nodes = new List<GraphNode>(ids.Count);
        foreach (var id in ids)
        {
            var inbound = inboundOf[id];
            var requests = inbound.Sum(e => e.Requests);
            var parts = id.Split('/');
            var count = registered.GetValueOrDefault(id);
            nodes.Add(new GraphNode(
                id, parts[1], parts[0], parts[2], count > 0 || workloads.Contains(id) ? "workload" : "unknown", count,
                Round(inbound.Sum(e => e.Rps)), requests == 0 ? 0 : Round((double)inbound.Sum(e => e.Errors) / requests)));
        }

        return nodes;
    }

    private static double? Quantile(double q, EdgeCounts counts) =>
        HistogramQuantile.Of(q, IstioBuckets.Bounds, counts.DurationBuckets) is { } value ? Round(value) : null;

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}
