using Google.Protobuf.WellKnownTypes;
using Runtime.Abstractions.Telemetry;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Discovery;
using Runtime.Silo.Tests.Metrics;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Traffic;

/// <summary>
/// On a real silo over gRPC: a heartbeat sent again with the same numbered report is counted once in the graph and
/// once in <c>silo_traffic_reports_dropped_total{reason="repeated"}</c>; an implausible edge moves
/// <c>silo_traffic_edges_dropped_total</c>; the exposition passes promtool.
/// </summary>
public sealed class TrafficMetricsTests
{
    private const string Reviews = "reviews.default.svc.cluster.local";

    [PromtoolFact]
    public async Task Heartbeat_RepeatedReportAndImplausibleEdge_CountedOnceAndDroppedCountersMove()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = f.Silo.HttpAddress };
        var sidecar = await f.RegisterAsync("productpage", "default", "10.0.0.1", "productpage-1", new() { ["version"] = "v1" });
        var before = await ScrapeAsync(http);
        var report = new V1.TrafficReport
        {
            WindowStart = Timestamp.FromDateTimeOffset(f.Time.GetUtcNow().AddSeconds(-5)),
            WindowEnd = Timestamp.FromDateTimeOffset(f.Time.GetUtcNow()),
            Sequence = 1,
            ReporterSession = "session-1",
            Edges = { Edge(requests: 6, errors: 0), Edge(requests: 1, errors: 2) }, // the second: more errors than requests
        };

        await HeartbeatAsync(f, sidecar.ProxyId, report);
        await HeartbeatAsync(f, sidecar.ProxyId, report); // sent again: its first heartbeat "timed out"
        var after = await ScrapeAsync(http);
        var graph = await http.GetStringAsync(new Uri("/api/dashboard/graph?window=60", UriKind.Relative)).Within("graph");
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).Within("/metrics");
        var (exitCode, output) = await PromtoolFactAttribute.CheckMetricsAsync(text);

        Assert.Equal("counter", after.Types["silo_traffic_edges_dropped_total"]);
        Assert.Equal("counter", after.Types["silo_traffic_reports_dropped_total"]);
        Assert.Equal(1, Delta(before, after, "silo_traffic_reports_dropped_total{reason=\"repeated\"}"));
        Assert.Equal(0, Delta(before, after, "silo_traffic_reports_dropped_total{reason=\"deregistered\"}"));
        Assert.Equal(1, Delta(before, after, "silo_traffic_edges_dropped_total"));
        Assert.Contains("\"requests\":6,", graph, StringComparison.Ordinal);
        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool check metrics exited {exitCode}:\n{output}");
    }

    private static Task<V1.HeartbeatResponse> HeartbeatAsync(DiscoveryFixture f, string proxyId, V1.TrafficReport report) =>
        f.Client.CallAsync("DiscoveryService/Heartbeat", new V1.HeartbeatRequest { ProxyId = proxyId, Traffic = report }, V1.HeartbeatResponse.Parser).Within("Heartbeat");

    private static async Task<Exposition> ScrapeAsync(HttpClient http) =>
        Exposition.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).Within("/metrics"));

    private static double Delta(Exposition before, Exposition after, string sample) => after[sample] - before[sample];

    private static V1.EdgeTraffic Edge(long requests, long errors)
    {
        var edge = new V1.EdgeTraffic
        {
            Reporter = "source", SourceWorkload = "productpage", SourceNamespace = "default", SourceVersion = "v1", SourcePrincipal = "unknown",
            DestinationService = Reviews, DestinationServiceName = "reviews", DestinationNamespace = "default", DestinationWorkload = "reviews",
            DestinationVersion = "v1", Protocol = "http", Requests = requests, Errors = errors,
        };
        var buckets = new long[IstioBuckets.Bounds.Count + 1];
        buckets[2] = requests;
        edge.DurationBuckets.Add(buckets);
        edge.ResponseCodes[200] = requests;
        return edge;
    }
}
