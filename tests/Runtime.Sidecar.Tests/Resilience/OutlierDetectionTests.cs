using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Common;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.LoadBalancing;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>Outlier detection on a controllable clock: ejection, readmission, growing ejections, limits and panic.</summary>
public sealed class OutlierDetectionTests
{
    private static readonly ClusterKey Key = new("reviews.default.svc.cluster.local", null, 9080);
    private static readonly MeshEndpoint[] Three = [Endpoint("10.0.0.1"), Endpoint("10.0.0.2"), Endpoint("10.0.0.3")];

    [Fact]
    public void Record_ConsecutiveFailuresReachThreshold_EjectsAtOnce()
    {
        var (clock, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 3 });
        var bad = Three[0];

        Fail(cluster, bad, 2);
        Assert.False(cluster.IsEjected(bad));
        cluster.Record(bad, ForwardOutcome.Success, 500);

        Assert.True(cluster.IsEjected(bad));
        var state = Describe(cluster, bad);
        Assert.Equal("3 consecutive 5xx (last: 500)", state.Reason);
        Assert.Equal(clock.GetUtcNow(), state.EjectedAt);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(30), state.EjectedUntil);
    }

    [Fact]
    public void Record_SuccessBetweenErrors_ResetsTheRun()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 3 });
        var bad = Three[0];

        Fail(cluster, bad, 2);
        cluster.Record(bad, ForwardOutcome.Success, 404);
        Fail(cluster, bad, 2);

        Assert.False(cluster.IsEjected(bad));
        Assert.Equal(2, Describe(cluster, bad).Consecutive5xx);
    }

    [Fact]
    public void Record_WithoutOutlierDetection_NeverEjects()
    {
        var (_, cluster) = Create(null);

        Fail(cluster, Three[0], 50);

        Assert.False(cluster.IsEjected(Three[0]));
    }

    [Fact]
    public void Sweep_AfterTheEjectionTime_ReadmitsAtTheFirstIntervalAfterIt()
    {
        // Interval 10 s from t0; ejected at t0+5 s for 30 s (until t0+35 s); sweeps at 10, 20, 30, 40 s.
        var (clock, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1, Interval = Duration("10s"), BaseEjectionTime = Duration("30s") });
        clock.Advance(TimeSpan.FromSeconds(5));
        Fail(cluster, Three[0], 1);

        clock.Advance(TimeSpan.FromSeconds(34));
        Assert.True(cluster.IsEjected(Three[0]));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cluster.IsEjected(Three[0]));
        Assert.Equal(0, Describe(cluster, Three[0]).Consecutive5xx);
    }

    [Fact]
    public void Record_SecondEjectionInARow_LastsTwiceTheBaseTime()
    {
        var (clock, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 2, Interval = Duration("1s"), BaseEjectionTime = Duration("5s") });
        Fail(cluster, Three[0], 2);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(cluster.IsEjected(Three[0]));

        Fail(cluster, Three[0], 2);

        var state = Describe(cluster, Three[0]);
        Assert.True(state.Ejected);
        Assert.Equal(2, state.Multiplier);
        Assert.Equal(2, state.TotalEjections);
        Assert.Equal(TimeSpan.FromSeconds(10), state.EjectedUntil - state.EjectedAt);
    }

    [Fact]
    public void Record_ManyEjectionsInARow_CappedAtMaxEjectionTime()
    {
        var (clock, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1, Interval = Duration("1s"), BaseEjectionTime = Duration("120s") });
        var lengths = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            Fail(cluster, Three[0], 1);
            var state = Describe(cluster, Three[0]);
            lengths.Add(state.EjectedUntil!.Value - state.EjectedAt!.Value);
            // Readmitted by the sweep at exactly the end; failing again before the next sweep keeps the multiplier.
            clock.Advance(state.EjectedUntil.Value - clock.GetUtcNow());
        }

        Assert.Equal([TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(300)], lengths);
    }

    [Fact]
    public void Sweep_HealthyIntervals_EarnBackShortEjections()
    {
        var (clock, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1, Interval = Duration("1s"), BaseEjectionTime = Duration("2s") });
        Fail(cluster, Three[0], 1);
        clock.Advance(TimeSpan.FromSeconds(2));
        Fail(cluster, Three[0], 1);
        Assert.Equal(2, Describe(cluster, Three[0]).Multiplier);

        // Readmitted after 4 s, then two quiet sweeps bring the multiplier back to zero.
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(cluster.IsEjected(Three[0]));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(0, Describe(cluster, Three[0]).Multiplier);

        Fail(cluster, Three[0], 1);
        var state = Describe(cluster, Three[0]);
        Assert.Equal(TimeSpan.FromSeconds(2), state.EjectedUntil - state.EjectedAt);
        Assert.Equal(3, state.TotalEjections);
    }

    [Fact]
    public void Record_MaxEjectionPercent_StopsFurtherEjections()
    {
        MeshEndpoint[] four = [.. Three, Endpoint("10.0.0.4")];
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1, MaxEjectionPercent = 50 }, four);

        foreach (var endpoint in four)
        {
            Fail(cluster, endpoint, 3);
        }

        Assert.Equal(2, four.Count(cluster.IsEjected));
    }

    [Fact]
    public void Record_DefaultMaxEjectionPercent_EjectsOneOfThree()
    {
        // Envoy's 10 %: the first ejection is allowed (0 % < 10 %), a second is not (33 % >= 10 %).
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1 });

        foreach (var endpoint in Three)
        {
            Fail(cluster, endpoint, 3);
        }

        Assert.Equal(1, Three.Count(cluster.IsEjected));
    }

    [Fact]
    public void Balancer_EjectedEndpoint_IsNeverPicked()
    {
        var (_, resilience) = Create(new OutlierDetection { Consecutive5xxErrors = 1 });
        var cluster = Attached(resilience, SimpleLoadBalancer.RoundRobin);
        Fail(resilience, Three[1], 1);

        var picked = Enumerable.Range(0, 30).Select(_ => cluster.Balancer.Pick(Request())!.Address).ToHashSet();

        Assert.Equal(["10.0.0.1", "10.0.0.3"], picked.Order());
        Assert.False(cluster.InPanic);
    }

    [Fact]
    public void Balancer_AllEjectedWithoutPanic_PicksNothingAndSaysHowMany()
    {
        var (_, resilience) = Create(new OutlierDetection { Consecutive5xxErrors = 1, MaxEjectionPercent = 100 });
        var cluster = Attached(resilience, SimpleLoadBalancer.RoundRobin);
        foreach (var endpoint in Three)
        {
            Fail(resilience, endpoint, 1);
        }

        Assert.Null(cluster.Balancer.Pick(Request()));
        Assert.Equal("no healthy endpoints for reviews.default.svc.cluster.local:9080: 3 ejected by outlier detection", cluster.NoEndpointReason());
    }

    [Fact]
    public void Balancer_BelowMinHealthPercent_PanicsAndUsesEveryEndpoint()
    {
        var (_, resilience) = Create(new OutlierDetection { Consecutive5xxErrors = 1, MaxEjectionPercent = 100, MinHealthPercent = 50 });
        var cluster = Attached(resilience, SimpleLoadBalancer.RoundRobin);

        Fail(resilience, Three[0], 1);
        Assert.False(cluster.InPanic);
        Assert.Equal(2, Enumerable.Range(0, 30).Select(_ => cluster.Balancer.Pick(Request())!.Address).Distinct().Count());

        Fail(resilience, Three[1], 1);
        Assert.True(cluster.InPanic);
        Assert.Equal(3, Enumerable.Range(0, 30).Select(_ => cluster.Balancer.Pick(Request())!.Address).Distinct().Count());
    }

    [Fact]
    public void Record_LocalOriginNotSplit_CountsAsGatewayAnd5xx()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 0, ConsecutiveGatewayErrors = 3, MaxEjectionPercent = 100 });

        cluster.Record(Three[0], ForwardOutcome.ConnectFailure, 503);
        cluster.Record(Three[0], ForwardOutcome.UpstreamReset, 502);
        cluster.Record(Three[0], ForwardOutcome.UpstreamTimeout, 504);

        Assert.True(cluster.IsEjected(Three[0]));
        Assert.Equal("3 consecutive gateway errors (last: timeout)", Describe(cluster, Three[0]).Reason);
    }

    [Fact]
    public void Record_LocalOriginSplit_CountedApartAndResetByAnyResponse()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 2, SplitExternalLocalOriginErrors = true, ConsecutiveLocalOriginFailures = 3, MaxEjectionPercent = 100 });

        // Local-origin failures do not count towards 5xx when split.
        cluster.Record(Three[0], ForwardOutcome.ConnectFailure, 503);
        cluster.Record(Three[0], ForwardOutcome.ConnectFailure, 503);
        Assert.Equal(0, Describe(cluster, Three[0]).Consecutive5xx);

        // An HTTP response (even a 500) proves the connection works and resets the local-origin run.
        cluster.Record(Three[0], ForwardOutcome.Success, 500);
        cluster.Record(Three[0], ForwardOutcome.ConnectFailure, 503);
        cluster.Record(Three[0], ForwardOutcome.ConnectFailure, 503);
        Assert.False(cluster.IsEjected(Three[0]));
        cluster.Record(Three[0], ForwardOutcome.ConnectFailure, 503);

        Assert.True(cluster.IsEjected(Three[0]));
        Assert.Equal("3 consecutive local-origin failures (last: connect failure)", Describe(cluster, Three[0]).Reason);
    }

    [Fact]
    public void Record_GatewayErrors_OnlyBadGatewayUnavailableAndTimeoutCount()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 0, ConsecutiveGatewayErrors = 2, MaxEjectionPercent = 100 });

        cluster.Record(Three[0], ForwardOutcome.Success, 502);
        cluster.Record(Three[0], ForwardOutcome.Success, 500);
        cluster.Record(Three[0], ForwardOutcome.Success, 503);
        Assert.False(cluster.IsEjected(Three[0]));
        cluster.Record(Three[0], ForwardOutcome.Success, 504);

        Assert.True(cluster.IsEjected(Three[0]));
    }

    [Fact]
    public void Record_DownstreamSideOutcomes_AreIgnored()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1 });

        cluster.Record(Three[0], ForwardOutcome.Canceled, 499);
        cluster.Record(Three[0], ForwardOutcome.RequestBodyFailed, 400);
        cluster.Record(Three[0], ForwardOutcome.ResponseBodyFailed, 502);

        Assert.False(cluster.IsEjected(Three[0]));
    }

    [Fact]
    public void Record_BelowMinRequestVolume_DoesNotEject()
    {
        var (clock, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 2, MinRequestVolume = 4, Interval = Duration("10s") });

        Fail(cluster, Three[0], 3);
        Assert.False(cluster.IsEjected(Three[0]));
        Fail(cluster, Three[0], 1);
        Assert.True(cluster.IsEjected(Three[0]));

        // The volume is counted per interval.
        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.False(cluster.IsEjected(Three[0]));
        Fail(cluster, Three[0], 3);
        Assert.False(cluster.IsEjected(Three[0]));
    }

    [Fact]
    public void Apply_NewSnapshotWithTheSameEndpoints_KeepsEjectionsAndForgetsRemovedEndpoints()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1 });
        Fail(cluster, Three[0], 1);

        // A push rebuilds every endpoint object; state is keyed by address and port.
        var rebuilt = Three.Select(e => e with { Labels = new Dictionary<string, string>() }).ToArray();
        cluster.Apply(1, new TrafficPolicy { OutlierDetection = new OutlierDetection { Consecutive5xxErrors = 1 } }, rebuilt[..2]);

        Assert.True(cluster.IsEjected(rebuilt[0]));
        Assert.Equal(2, cluster.Describe().Endpoints.Count);
        Assert.Null(cluster.Find(Three[2]));
    }

    [Fact]
    public void Apply_OutlierDetectionRemoved_ReadmitsEveryone()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1 });
        Fail(cluster, Three[0], 1);

        cluster.Apply(1, null, Three);

        Assert.False(cluster.IsEjected(Three[0]));
    }

    [Fact]
    public void Apply_OlderGeneration_IsIgnored()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1 });
        cluster.Apply(5, new TrafficPolicy { OutlierDetection = new OutlierDetection { Consecutive5xxErrors = 7 } }, Three);

        cluster.Apply(4, null, Three);

        Assert.Equal(7, cluster.Outlier!.Consecutive5xx);
    }

    [Fact]
    public void Settings_Defaults_FollowIstio()
    {
        var settings = OutlierSettings.From(new OutlierDetection())!;

        Assert.Equal(new OutlierSettings(5, 0, 0, false, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(300), 10, 0, 0), settings);
        Assert.Null(OutlierSettings.From(null));
        Assert.Equal(5, OutlierSettings.From(new OutlierDetection { SplitExternalLocalOriginErrors = true })!.ConsecutiveLocalOrigin);
        Assert.Equal(TimeSpan.FromSeconds(400), OutlierSettings.From(new OutlierDetection { BaseEjectionTime = Duration("400s") })!.EjectionTime(3));
    }

    [Fact]
    public void Settings_DeprecatedConsecutiveErrors_CountsGatewayErrorsOnly()
    {
        var legacy = OutlierSettings.From(new OutlierDetection { ConsecutiveErrors = 7 })!;
        var both = OutlierSettings.From(new OutlierDetection { ConsecutiveErrors = 7, Consecutive5xxErrors = 3, ConsecutiveGatewayErrors = 2 })!;

        Assert.Equal((0, 7), (legacy.Consecutive5xx, legacy.ConsecutiveGateway));
        Assert.Equal((3, 2), (both.Consecutive5xx, both.ConsecutiveGateway));
    }

    [Fact]
    public void Registry_Current_ReportsEjectedEndpointsForTheControlPlane()
    {
        var clock = new OutlierTestClock();
        using var registry = new ClusterResilienceRegistry(clock);
        var policy = new TrafficPolicy { OutlierDetection = new OutlierDetection { Consecutive5xxErrors = 1 } };
        var cluster = registry.Attach(0, Key, policy, Three);
        Assert.Empty(registry.Current());

        Fail(cluster, Three[2], 1);

        var status = Assert.Single(registry.Current());
        Assert.Equal(new EndpointOutlierStatus(Key.Host, "10.0.0.3", 15006, true, 1, clock.GetUtcNow() + TimeSpan.FromSeconds(30), "1 consecutive 5xx (last: 500)"), status);
    }

    [Fact]
    public void Record_SuccessesAndFailuresBelowTheThreshold_AllocateNothing()
    {
        var (_, cluster) = Create(new OutlierDetection { Consecutive5xxErrors = 1000, ConsecutiveGatewayErrors = 1000 });
        cluster.Record(Three[0], ForwardOutcome.Success, 200);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 300; i++)
        {
            cluster.Record(Three[0], ForwardOutcome.Success, 200);
            cluster.Record(Three[1], ForwardOutcome.Success, 503);
            cluster.Record(Three[2], ForwardOutcome.ConnectFailure, 503);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.False(cluster.IsEjected(Three[1]));
    }

    internal static MeshEndpoint Endpoint(string address) => new() { Address = address, Port = 15006, Health = EndpointHealth.Healthy };

    internal static MeshDuration Duration(string text) => MeshDuration.TryParse(text, out var duration) ? duration : throw new ArgumentException(text);

    private static (OutlierTestClock Clock, ClusterResilience Cluster) Create(OutlierDetection? detection, MeshEndpoint[]? endpoints = null)
    {
        var clock = new OutlierTestClock();
        var cluster = new ClusterResilience(Key, clock, new ConnectionPoolClients(), NullLogger.Instance);
        cluster.Apply(0, detection is null ? null : new TrafficPolicy { OutlierDetection = detection }, endpoints ?? Three);
        return (clock, cluster);
    }

    private static Cluster Attached(ClusterResilience resilience, SimpleLoadBalancer policy)
    {
        var settings = new LoadBalancerSettings { Simple = policy };
        var cluster = new Cluster(Key, Three, LoadBalancerFactory.Create(settings, Three), new TrafficPolicy { LoadBalancer = settings });
        cluster.Attach(resilience);
        return cluster;
    }

    private static void Fail(ClusterResilience cluster, MeshEndpoint endpoint, int times)
    {
        for (var i = 0; i < times; i++)
        {
            cluster.Record(endpoint, ForwardOutcome.Success, 500);
        }
    }

    private static ClusterResilienceEndpointSnapshot Describe(ClusterResilience cluster, MeshEndpoint endpoint) =>
        cluster.Describe().Endpoints.Single(e => e.Address == endpoint.Address && e.Port == endpoint.Port);

    private static RequestView Request() => new("GET", "http", "reviews", "/", "", _ => null, "127.0.0.1");
}
