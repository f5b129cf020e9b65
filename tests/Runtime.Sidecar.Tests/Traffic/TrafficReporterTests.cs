using Runtime.Sidecar.Metrics;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Traffic;

namespace Runtime.Sidecar.Tests.Traffic;

/// <summary>The per-edge deltas a heartbeat carries, computed from Istio's request series.</summary>
public sealed class TrafficReporterTests
{
    private const string Reviews = "reviews.default.svc.cluster.local";
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);
    private static readonly PeerLabels ProductPage = new("productpage", "default", "spiffe://cluster.local/ns/default/sa/productpage", "productpage", "v1", "productpage.default.svc.cluster.local", "productpage", "default", "Kubernetes");
    private static readonly PeerLabels ReviewsV2 = new("reviews", "default", "spiffe://cluster.local/ns/default/sa/reviews", "reviews", "v2", Reviews, "reviews", "default", "Kubernetes");
    private static readonly PeerLabels ReviewsV1Plain = ReviewsV2 with { Version = "v1", Principal = PeerLabels.UnknownValue };

    private readonly SteppedClock _clock = new(Start);
    private readonly List<KeyValuePair<RequestSeriesKey, RequestSeries>> _series = [];

    [Fact]
    public void Prepare_AfterRequests_ReportsExactDeltasPerEdge()
    {
        var reporter = new TrafficReporter(() => _series, _clock);
        var ok = Series(Outbound(ReviewsV2, 200, ResponseFlags.None));
        var failed = Series(Outbound(ReviewsV2, 503, Runtime.Sidecar.Proxying.MeshReasons.UpstreamConnectFailure));
        var plain = Series(Outbound(ReviewsV1Plain, 404, ResponseFlags.None));
        ok.Record(0.7, 10, 100);   // bucket 1: (0.5, 1]
        ok.Record(3, 10, 100);     // bucket 2: (1, 5]
        ok.Record(5, 10, 100);     // bucket 2 (a bound belongs to its own bucket)
        failed.Record(12, 0, 0);   // bucket 4: (10, 25]
        plain.Record(7000, 1, 2);  // bucket 12: (5000, 10000]
        _clock.Advance(TimeSpan.FromSeconds(5));

        var report = reporter.Prepare().Report!;

        Assert.Equal(Start, report.WindowStart.ToDateTimeOffset());
        Assert.Equal(Start.AddSeconds(5), report.WindowEnd.ToDateTimeOffset());
        Assert.Equal(2, report.Edges.Count);
        var v2 = Assert.Single(report.Edges, e => e.DestinationVersion == "v2");
        Assert.Equal("source", v2.Reporter);
        Assert.Equal(("productpage", "default", "v1", ProductPage.Principal), (v2.SourceWorkload, v2.SourceNamespace, v2.SourceVersion, v2.SourcePrincipal));
        Assert.Equal((Reviews, "reviews", "default", "reviews", "http"), (v2.DestinationService, v2.DestinationServiceName, v2.DestinationNamespace, v2.DestinationWorkload, v2.Protocol));
        Assert.True(v2.Mtls);
        Assert.Equal(4, v2.Requests);
        Assert.Equal(1, v2.Errors);
        Assert.Equal("200=3, 503=1", Codes(v2));
        Assert.Equal(new long[] { 0, 1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, v2.DurationBuckets);
        Assert.Equal(20.7, v2.DurationSumMs, 9);
        Assert.Equal(30, v2.RequestBytes);
        Assert.Equal(300, v2.ResponseBytes);
        var v1 = Assert.Single(report.Edges, e => e.DestinationVersion == "v1");
        Assert.False(v1.Mtls);
        Assert.Equal(1, v1.Requests);
        Assert.Equal(0, v1.Errors);
        Assert.Equal(1, v1.DurationBuckets[12]);
        Assert.Equal(1, v1.DurationBuckets.Sum());
    }

    [Fact]
    public void Prepare_MetricsOverrides_CountDecidesTheEdgeDurationOnlyItsLatency()
    {
        var reporter = new TrafficReporter(() => _series, _clock);
        var uncounted = Series(Outbound(ReviewsV2, 200, ResponseFlags.None));
        var untimed = Series(Outbound(ReviewsV1Plain, 200, ResponseFlags.None));
        uncounted.Record(new RequestMetricSet(Count: false, Duration: true, RequestSize: true, ResponseSize: true), 3, 10, 100);
        untimed.Record(new RequestMetricSet(Count: true, Duration: false, RequestSize: true, ResponseSize: true), 3, 10, 100);

        var edge = Assert.Single(reporter.Prepare().Report!.Edges);

        // REQUEST_COUNT off: no edge from this side. REQUEST_DURATION off: the edge, with no latency buckets.
        Assert.Equal("v1", edge.DestinationVersion);
        Assert.Equal(1, edge.Requests);
        Assert.Equal(0, edge.DurationBuckets.Sum());
        Assert.Equal(100, edge.ResponseBytes);
    }

    [Fact]
    public void Prepare_InboundOverMtls_DestinationEdgeWithCallerPrincipal()
    {
        var reporter = new TrafficReporter(() => _series, _clock);
        var caller = PeerLabels.Unknown with { Namespace = "default", Principal = ProductPage.Principal };
        Series(new RequestSeriesKey(false, caller, ReviewsV2, 500, ResponseFlags.None, false, -1, SecurityPolicy.MutualTls)).Record(2, 0, 0);

        var edge = Assert.Single(reporter.Prepare().Report!.Edges);

        Assert.Equal("destination", edge.Reporter);
        Assert.Equal(("unknown", "default", ProductPage.Principal), (edge.SourceWorkload, edge.SourceNamespace, edge.SourcePrincipal));
        Assert.True(edge.Mtls);
        Assert.Equal((1, 1), (edge.Requests, edge.Errors));
    }

    [Fact]
    public void Prepare_AfterCommit_ReportsOnlyWhatCameSince()
    {
        var reporter = new TrafficReporter(() => _series, _clock);
        var ok = Series(Outbound(ReviewsV2, 200, ResponseFlags.None));
        ok.Record(3, 0, 0);
        ok.Record(3, 0, 0);
        _clock.Advance(TimeSpan.FromSeconds(5));
        reporter.Commit(reporter.Prepare());

        _clock.Advance(TimeSpan.FromSeconds(5));
        var idle = reporter.Prepare();
        reporter.Commit(idle);
        ok.Record(30, 0, 0);
        var fresh = Series(Outbound(ReviewsV1Plain, 200, ResponseFlags.None));
        fresh.Record(0.2, 0, 0);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var next = reporter.Prepare().Report!;

        Assert.Null(idle.Report);
        Assert.Equal(Start.AddSeconds(10), next.WindowStart.ToDateTimeOffset());
        Assert.Equal(Start.AddSeconds(15), next.WindowEnd.ToDateTimeOffset());
        var v2 = Assert.Single(next.Edges, e => e.DestinationVersion == "v2");
        Assert.Equal(1, v2.Requests);
        Assert.Equal(1, v2.DurationBuckets[5]);
        Assert.Equal(1, v2.DurationBuckets.Sum());
        Assert.Equal(30, v2.DurationSumMs, 9);
        Assert.Equal("200=1", Codes(v2));
        Assert.Equal(1, Assert.Single(next.Edges, e => e.DestinationVersion == "v1").DurationBuckets[0]);
    }

    [Fact]
    public void Prepare_PreviousNotCommitted_SendsItAgainWithItsNumberAndNewRequestsGoInTheNext()
    {
        var reporter = new TrafficReporter(() => _series, _clock);
        var ok = Series(Outbound(ReviewsV2, 200, ResponseFlags.None));
        ok.Record(3, 0, 0);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var failed = reporter.Prepare(); // the heartbeat carrying it failed: not committed

        ok.Record(3, 0, 0);
        ok.Record(3, 0, 0);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var retried = reporter.Prepare();
        reporter.Commit(retried);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var next = reporter.Prepare().Report!;

        Assert.Same(failed, retried);
        var report = retried.Report!;
        Assert.Equal((1UL, reporter.Session), (report.Sequence, report.ReporterSession));
        Assert.Equal((Start, Start.AddSeconds(5)), (report.WindowStart.ToDateTimeOffset(), report.WindowEnd.ToDateTimeOffset()));
        Assert.Equal(1, Assert.Single(report.Edges).Requests);
        Assert.Equal((2UL, reporter.Session), (next.Sequence, next.ReporterSession));
        Assert.Equal((Start.AddSeconds(5), Start.AddSeconds(15)), (next.WindowStart.ToDateTimeOffset(), next.WindowEnd.ToDateTimeOffset()));
        var edge = Assert.Single(next.Edges);
        Assert.Equal(2, edge.Requests);
        Assert.Equal(2, edge.DurationBuckets[2]);
        Assert.Equal("200=2", Codes(edge));
    }

    [Fact]
    public void Prepare_TwoReporters_DifferentSessionsEachNumberedFromOne()
    {
        var first = new TrafficReporter(() => _series, _clock);
        var second = new TrafficReporter(() => _series, _clock);
        Series(Outbound(ReviewsV2, 200, ResponseFlags.None)).Record(3, 0, 0);

        var (a, b) = (first.Prepare().Report!, second.Prepare().Report!);

        Assert.NotEqual(a.ReporterSession, b.ReporterSession);
        Assert.Equal((1UL, 1UL), (a.Sequence, b.Sequence));
    }

    private static string Codes(Runtime.Abstractions.Api.V1.EdgeTraffic edge) =>
        string.Join(", ", edge.ResponseCodes.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));

    private static RequestSeriesKey Outbound(PeerLabels destination, int code, string flags) =>
        new(true, ProductPage, destination, code, flags, false, -1, SecurityPolicy.Unknown);

    private RequestSeries Series(RequestSeriesKey key)
    {
        var series = new RequestSeries([]);
        _series.Add(new(key, series));
        return series;
    }
}
