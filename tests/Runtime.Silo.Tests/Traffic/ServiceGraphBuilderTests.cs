using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Telemetry;
using Runtime.Silo.Discovery;
using Runtime.Silo.Tests.Testing;
using Runtime.Silo.Traffic;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Traffic;

/// <summary>The service graph from traffic reports kept in time buckets: exact counts, rates over the covered time, quantiles, splits, and what is kept how long.</summary>
public sealed class ServiceGraphBuilderTests
{
    private const string Reviews = "reviews.default.svc.cluster.local";
    private const string ProductPagePrincipal = "spiffe://cluster.local/ns/default/sa/productpage";
    private readonly ManualTimeProvider _time = new();
    private readonly ProxyRegistry _registry;
    private readonly TrafficStore _store;
    private readonly ServiceGraphBuilder _graph;

    public ServiceGraphBuilderTests()
    {
        _registry = new ProxyRegistry(Microsoft.Extensions.Options.Options.Create(new DiscoveryOptions()), _time, NullLogger<ProxyRegistry>.Instance);
        _store = new TrafficStore(_time, NullLogger<TrafficStore>.Instance);
        _graph = new ServiceGraphBuilder(_store, _registry);
    }

    [Fact]
    public void Build_CanaryReports_RatesOverCoveredTimeQuantilesSplitAndNodes()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        Register("reviews", "v1", "10.0.0.2");
        Register("reviews", "v2", "10.0.0.3");
        // 90 requests to v1 (9 of them 503), all in (1, 5] ms; 10 to v2 in (5, 10] ms; over the report's 10 s.
        Heartbeat(productpage, TimeSpan.FromSeconds(10),
            Edge("source", "v1", 90, 9, (2, 90), (200, 81), (503, 9)),
            Edge("source", "v2", 10, 0, (3, 10), (200, 10)));

        var graph = _graph.Build(30);
        _time.Advance(TimeSpan.FromSeconds(10));
        Heartbeat(productpage, TimeSpan.FromSeconds(10));
        var later = _graph.Build(30);

        Assert.Equal(new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc), graph.GeneratedAt);
        Assert.Equal(("sidecars", 30), (graph.Source, graph.WindowSeconds));
        Assert.Equal(
            [
                new GraphNode("default/productpage/v1", "productpage", "default", "v1", "workload", 1, 0, 0),
                new GraphNode("default/reviews/v1", "reviews", "default", "v1", "workload", 1, 9, 0.1),
                new GraphNode("default/reviews/v2", "reviews", "default", "v2", "workload", 1, 1, 0),
            ],
            graph.Nodes);
        Assert.Equal(2, graph.Edges.Count);
        var (v1, v2) = (graph.Edges[0], graph.Edges[1]);
        Assert.Equal(("default/productpage/v1->default/reviews/v1", "default/productpage/v1", "default/reviews/v1"), (v1.Id, v1.Source, v1.Target));
        Assert.Equal((Reviews, "http", true), (v1.DestinationService, v1.Protocol, v1.Mtls));
        Assert.Equal((90L, 9L, 9.0, 0.1), (v1.Requests, v1.Errors, v1.Rps, v1.ErrorRate));
        Assert.Equal((3.0, 4.96), (v1.P50Ms, v1.P99Ms));
        Assert.Equal(0.9, v1.Split);
        Assert.Equal(new Dictionary<string, long> { ["200"] = 81, ["503"] = 9 }, v1.ResponseCodes);
        Assert.Equal(("default/productpage/v1->default/reviews/v2", 10L, 1.0), (v2.Id, v2.Requests, v2.Rps));
        Assert.Equal((7.5, 9.95), (v2.P50Ms, v2.P99Ms));
        Assert.Equal(0.1, v2.Split);
        // Ten quiet seconds later the same requests are spread over the 20 s the reports now cover.
        Assert.Equal((90L, 4.5), (later.Edges[0].Requests, later.Edges[0].Rps));
    }

    [Fact]
    public void Build_OneVersionReached_NoSplit()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        Heartbeat(productpage, TimeSpan.FromSeconds(5), Edge("source", "v1", 5, 0, (2, 5), (200, 5)));

        Assert.Null(Assert.Single(_graph.Build(30).Edges).Split);
    }

    [Fact]
    public void Build_ServerReports_UsedOnlyForCallersNoClientSidecarReported()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        var reviews = Register("reviews", "v1", "10.0.0.2");
        Heartbeat(productpage, TimeSpan.FromSeconds(10), Edge("source", "v1", 10, 0, (2, 10), (200, 10)));
        Heartbeat(reviews, TimeSpan.FromSeconds(10),
            Inbound(ProductPagePrincipal, "default", mtls: true, 10),                            // productpage again: already counted
            Inbound("spiffe://cluster.local/ns/batch/sa/job", "batch", mtls: true, 4),           // a caller without a sidecar report
            Inbound("unknown", "unknown", mtls: false, 3));                                       // plaintext from outside the mesh

        var graph = _graph.Build(30);

        Assert.Equal(
            ["batch/unknown/unknown->default/reviews/v1", "default/productpage/v1->default/reviews/v1", "unknown/unknown/unknown->default/reviews/v1"],
            graph.Edges.Select(e => e.Id));
        Assert.Equal([4L, 10L, 3L], graph.Edges.Select(e => e.Requests));
        Assert.Equal([true, true, false], graph.Edges.Select(e => e.Mtls));
        Assert.Equal(17 / 10.0, graph.Nodes.Single(n => n.Id == "default/reviews/v1").Rps);
        Assert.Equal("unknown", graph.Nodes.Single(n => n.Id == "batch/unknown/unknown").Kind);
        Assert.Equal("unknown", graph.Nodes.Single(n => n.Id == "unknown/unknown/unknown").Kind);
    }

    [Fact]
    public void Record_AfterDeregister_RefusedWhileWhatWasReportedStaysUntilItAgesOut()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        Heartbeat(productpage, TimeSpan.FromSeconds(10), Edge("source", "v1", 7, 0, (2, 7), (200, 7)));
        _time.Advance(TimeSpan.FromSeconds(5));
        _store.Forget(productpage.Id);
        _registry.Deregister(productpage.Id);
        _store.Record(productpage.Id, productpage.RegisteredAt, TrafficMessages.FromMessage(Report(TimeSpan.FromSeconds(5), Edge("source", "v1", 100, 0, (2, 100), (200, 100)))));

        var kept = Assert.Single(_graph.Build(600).Edges);
        _time.Advance(TimeSpan.FromMinutes(10));
        var aged = _graph.Build(600);

        // Covered: from the report's start to the deregistration, 15 s.
        Assert.Equal((7L, Math.Round(7 / 15.0, 4)), (kept.Requests, kept.Rps));
        Assert.Empty(aged.Edges);
        Assert.Empty(aged.Nodes);
    }

    [Fact]
    public void Build_Window_CountsOnlyReportsThatArrivedInIt()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        Heartbeat(productpage, TimeSpan.FromSeconds(5), Edge("source", "v1", 3, 0, (2, 3), (200, 3)));
        _time.Advance(TimeSpan.FromSeconds(20));
        Heartbeat(productpage, TimeSpan.FromSeconds(20), Edge("source", "v1", 2, 0, (2, 2), (200, 2)));

        Assert.Equal(2, Assert.Single(_graph.Build(10).Edges).Requests);
        Assert.Equal(5, Assert.Single(_graph.Build(30).Edges).Requests);
    }

    [Fact]
    public void Record_TooManyEdgesOrImplausibleNumbers_DroppedAndCounted()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        var edges = Enumerable.Range(0, TrafficLimits.MaxEdgesPerBucket + 1).Select(i => Edge("source", "v" + i, 1, 0, (2, 1), (200, 1))).ToList();
        var negative = Edge("source", "bad", 1, 0, (2, 1), (200, 1));
        negative.Requests = -1;
        edges.Add(negative);
        Heartbeat(productpage, TimeSpan.FromSeconds(5), [.. edges]);

        Assert.Equal(TrafficLimits.MaxEdgesPerBucket, _graph.Build(30).Edges.Count);
        Assert.Equal(2, _store.DroppedEdges);
    }

    [Fact]
    public void Record_SameNumberedReportAgain_CountedOnceEvenAcrossReRegistration_NextNumberCounted()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        var first = Numbered("session-a", 1, Report(TimeSpan.FromSeconds(5), Edge("source", "v1", 4, 0, (2, 4), (200, 4))));
        _store.Record(productpage.Id, productpage.RegisteredAt, TrafficMessages.FromMessage(first));
        // The heartbeat timed out after the control plane took it; the sidecar registers again and resends it unchanged.
        _time.Advance(TimeSpan.FromSeconds(1));
        var again = Register("productpage", "v1", "10.0.0.1");
        _store.Record(again.Id, again.RegisteredAt, TrafficMessages.FromMessage(first));
        var afterRepeat = Assert.Single(_graph.Build(30).Edges);

        _time.Advance(TimeSpan.FromSeconds(1));
        var second = Numbered("session-a", 2, Report(TimeSpan.FromSeconds(2), Edge("source", "v1", 3, 0, (2, 3), (200, 3))));
        _store.Record(again.Id, again.RegisteredAt, TrafficMessages.FromMessage(second));

        Assert.Equal(4, afterRepeat.Requests);
        Assert.Equal(7, Assert.Single(_graph.Build(30).Edges).Requests);
        Assert.Equal((1L, 0L), (_store.RepeatedReports, _store.RefusedReports));
    }

    [Fact]
    public void Record_NumberOneFromANewSession_Counted()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        _store.Record(productpage.Id, productpage.RegisteredAt, TrafficMessages.FromMessage(
            Numbered("before-restart", 5, Report(TimeSpan.FromSeconds(5), Edge("source", "v1", 4, 0, (2, 4), (200, 4))))));
        _time.Advance(TimeSpan.FromSeconds(1));

        // The sidecar restarted: a new session numbers from 1 again.
        _store.Record(productpage.Id, productpage.RegisteredAt, TrafficMessages.FromMessage(
            Numbered("after-restart", 1, Report(TimeSpan.FromSeconds(1), Edge("source", "v1", 2, 0, (2, 2), (200, 2))))));

        Assert.Equal(6, Assert.Single(_graph.Build(30).Edges).Requests);
        Assert.Equal(0, _store.RepeatedReports);
    }

    [Fact]
    public void Record_UnnumberedReportsAgain_EachCounted()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        var report = Report(TimeSpan.FromSeconds(5), Edge("source", "v1", 4, 0, (2, 4), (200, 4)));

        _store.Record(productpage.Id, productpage.RegisteredAt, TrafficMessages.FromMessage(report));
        _store.Record(productpage.Id, productpage.RegisteredAt, TrafficMessages.FromMessage(report));

        Assert.Equal(8, Assert.Single(_graph.Build(30).Edges).Requests);
    }

    [Fact]
    public void Record_AfterDeregistration_ReportRefusedAndCounted()
    {
        var productpage = Register("productpage", "v1", "10.0.0.1");
        Heartbeat(productpage, TimeSpan.FromSeconds(5), Edge("source", "v1", 4, 0, (2, 4), (200, 4)));
        _store.Forget(productpage.Id);

        Heartbeat(productpage, TimeSpan.FromSeconds(5), Edge("source", "v1", 5, 0, (2, 5), (200, 5)));

        Assert.Equal(4, Assert.Single(_graph.Build(30).Edges).Requests);
        Assert.Equal(1, _store.RefusedReports);
    }

    private static V1.TrafficReport Numbered(string session, ulong sequence, V1.TrafficReport report)
    {
        report.ReporterSession = session;
        report.Sequence = sequence;
        return report;
    }

    private RegisteredProxy Register(string service, string version, string address) =>
        _registry.Register(
            new ProxyIdentity
            {
                Service = service, Namespace = "default", Address = address, InboundPort = 15006, Instance = $"{service}-{version}",
                Labels = new Dictionary<string, string> { ["app"] = service, ["version"] = version },
            },
            "test");

    private void Heartbeat(RegisteredProxy proxy, TimeSpan covered, params V1.EdgeTraffic[] edges) =>
        _store.Record(proxy.Id, proxy.RegisteredAt, TrafficMessages.FromMessage(Report(covered, edges)));

    private V1.TrafficReport Report(TimeSpan covered, params V1.EdgeTraffic[] edges)
    {
        var now = _time.GetUtcNow();
        return new V1.TrafficReport { WindowStart = Timestamp.FromDateTimeOffset(now - covered), WindowEnd = Timestamp.FromDateTimeOffset(now), Edges = { edges } };
    }

    /// <summary>productpage v1 to reviews <paramref name="version"/> over mTLS, as the reporter saw it.</summary>
    private static V1.EdgeTraffic Edge(string reporter, string version, long requests, long errors, (int Index, long Count) bucket, params (int Code, long Count)[] codes)
    {
        var edge = new V1.EdgeTraffic
        {
            Reporter = reporter, SourceWorkload = "productpage", SourceNamespace = "default", SourceVersion = "v1", SourcePrincipal = ProductPagePrincipal,
            DestinationService = Reviews, DestinationServiceName = "reviews", DestinationNamespace = "default", DestinationWorkload = "reviews",
            DestinationVersion = version, Protocol = "http", Mtls = true, Requests = requests, Errors = errors,
        };
        var buckets = new long[IstioBuckets.Bounds.Count + 1];
        buckets[bucket.Index] = bucket.Count;
        edge.DurationBuckets.Add(buckets);
        foreach (var (code, count) in codes)
        {
            edge.ResponseCodes[code] = count;
        }

        return edge;
    }

    /// <summary>reviews v1's own report of requests from a caller it knows only by certificate (or not at all).</summary>
    private static V1.EdgeTraffic Inbound(string principal, string ns, bool mtls, long requests)
    {
        var edge = Edge("destination", "v1", requests, 0, (2, requests), (200, requests));
        edge.SourceWorkload = "unknown";
        edge.SourceVersion = "unknown";
        edge.SourceNamespace = ns;
        edge.SourcePrincipal = principal;
        edge.Mtls = mtls;
        return edge;
    }
}
