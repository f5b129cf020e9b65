using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Telemetry;
using Runtime.Silo.Discovery;
using Runtime.Silo.Tests.Testing;
using Runtime.Silo.Traffic;

namespace Runtime.Silo.Tests.Traffic;

/// <summary>
/// Prometheus' answers to the graph's two queries become one slice covering the window, assembled by the same rules
/// as the sidecars' reports: source reporter first, mTLS from principals or the security policy, errors from code and
/// flags, quantiles from the summed buckets, split per destination service.
/// </summary>
public sealed class PrometheusTrafficTests
{
    private const string Reviews = "reviews.default.svc.cluster.local";
    private const string ProductPagePrincipal = "spiffe://cluster.local/ns/default/sa/productpage";
    private readonly ManualTimeProvider _time = new();
    private readonly ServiceGraphBuilder _graph;

    public PrometheusTrafficTests()
    {
        var registry = new ProxyRegistry(Microsoft.Extensions.Options.Options.Create(new DiscoveryOptions()), _time, NullLogger<ProxyRegistry>.Instance);
        _graph = new ServiceGraphBuilder(new TrafficStore(_time, NullLogger<TrafficStore>.Instance), registry);
    }

    [Fact]
    public void Queries_SumIncreaseByTheEdgeLabelsOverTheWindow()
    {
        Assert.StartsWith("sum by (reporter, source_workload, source_workload_namespace, source_version, source_principal, ", PrometheusTraffic.RequestsQuery(30), StringComparison.Ordinal);
        Assert.EndsWith(", response_code, response_flags) (increase(istio_requests_total[30s]))", PrometheusTraffic.RequestsQuery(30), StringComparison.Ordinal);
        Assert.EndsWith(", le) (increase(istio_request_duration_milliseconds_bucket[60s]))", PrometheusTraffic.DurationQuery(60), StringComparison.Ordinal);
    }

    [Fact]
    public void Slice_CanaryWithBothReporters_SameGraphRulesAsTheSidecars()
    {
        // Over 30 s: 81 200s and 9.2 (extrapolated) 503s to v1, 10 200s to v2, all seen by both sidecars; the 503s flagged by the mesh.
        var requests = new[]
        {
            Sample("source", "v1", 81, ("response_code", "200")),
            Sample("source", "v1", 9.2, ("response_code", "503"), ("response_flags", "UF")),
            Sample("source", "v2", 10, ("response_code", "200")),
            Sample("destination", "v1", 90, ("response_code", "200"), ("connection_security_policy", "mutual_tls")),
            Sample("destination", "v2", 10, ("response_code", "200"), ("connection_security_policy", "mutual_tls")),
        };
        var durations = Buckets("source", "v1", 90, 2).Concat(Buckets("source", "v2", 10, 3)).Concat(Buckets("destination", "v1", 90, 0)).ToArray();

        var slice = PrometheusTraffic.Slice(30, requests, durations);
        var graph = _graph.Assemble(_time.GetUtcNow(), 30, ServiceGraphSource.PrometheusSource, [slice]);

        Assert.Equal(TimeSpan.FromSeconds(30), slice.Covered);
        Assert.Equal("prometheus", graph.Source);
        Assert.Equal(["default/productpage/v1", "default/reviews/v1", "default/reviews/v2"], graph.Nodes.Select(n => n.Id));
        Assert.All(graph.Nodes, n => Assert.Equal("workload", n.Kind));
        Assert.Equal(2, graph.Edges.Count);
        var (v1, v2) = (graph.Edges[0], graph.Edges[1]);
        Assert.Equal(("default/productpage/v1->default/reviews/v1", Reviews, "http", true), (v1.Id, v1.DestinationService, v1.Protocol, v1.Mtls));
        Assert.Equal((90L, 9L, 3.0, 0.1), (v1.Requests, v1.Errors, v1.Rps, v1.ErrorRate));
        Assert.Equal((3.0, 4.96), (v1.P50Ms, v1.P99Ms));
        Assert.Equal((0.9, 0.1), (v1.Split, v2.Split));
        Assert.Equal(new Dictionary<string, long> { ["200"] = 81, ["503"] = 9 }, v1.ResponseCodes);
        Assert.Equal((10L, 7.5), (v2.Requests, v2.P50Ms));
    }

    [Fact]
    public void Slice_PlaintextCallerWithoutSidecar_DestinationViewCounted()
    {
        var requests = new[]
        {
            Sample("destination", "v1", 12, ("response_code", "200"), ("source_workload", ""), ("source_version", ""), ("source_workload_namespace", ""), ("source_principal", ""), ("connection_security_policy", "none")),
        };

        var graph = _graph.Assemble(_time.GetUtcNow(), 60, "prometheus", [PrometheusTraffic.Slice(60, requests, [])]);

        var edge = Assert.Single(graph.Edges);
        Assert.Equal(("unknown/unknown/unknown->default/reviews/v1", false, 0.2), (edge.Id, edge.Mtls, edge.Rps));
        Assert.Null(edge.P50Ms);
        Assert.Equal("unknown", graph.Nodes.Single(n => n.Id == "unknown/unknown/unknown").Kind);
        Assert.Equal("workload", graph.Nodes.Single(n => n.Id == "default/reviews/v1").Kind);
    }

    /// <summary>productpage v1 to reviews <paramref name="version"/>; <paramref name="extra"/> overrides or adds labels.</summary>
    private static PromSample Sample(string reporter, string version, double value, params (string Name, string Value)[] extra)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reporter"] = reporter, ["source_workload"] = "productpage", ["source_workload_namespace"] = "default", ["source_version"] = "v1",
            ["source_principal"] = ProductPagePrincipal, ["destination_service"] = Reviews, ["destination_service_name"] = "reviews",
            ["destination_service_namespace"] = "default", ["destination_workload"] = "reviews", ["destination_workload_namespace"] = "default",
            ["destination_version"] = version, ["destination_principal"] = "spiffe://cluster.local/ns/default/sa/reviews", ["request_protocol"] = "http",
            ["connection_security_policy"] = "unknown", ["response_flags"] = "-",
        };
        foreach (var (name, text) in extra)
        {
            labels[name] = text;
        }

        return new PromSample(labels, value);
    }

    /// <summary>Cumulative buckets (with <c>le</c>) of <paramref name="count"/> requests all in bucket <paramref name="index"/>.</summary>
    private static IEnumerable<PromSample> Buckets(string reporter, string version, double count, int index)
    {
        for (var i = 0; i <= IstioBuckets.Bounds.Count; i++)
        {
            var le = i == IstioBuckets.Bounds.Count ? "+Inf" : IstioBuckets.Bounds[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
            var policy = reporter == "destination" ? "mutual_tls" : "unknown";
            yield return Sample(reporter, version, i >= index ? count : 0, ("le", le), ("connection_security_policy", policy));
        }
    }
}
