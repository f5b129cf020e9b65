using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>The ejection multiplier stops growing once ejections reach the cap, as Envoy's does.</summary>
public sealed class ReviewOutlierTests
{
    private static readonly MeshEndpoint[] Three = [OutlierDetectionTests.Endpoint("10.0.0.1"), OutlierDetectionTests.Endpoint("10.0.0.2"), OutlierDetectionTests.Endpoint("10.0.0.3")];

    [Fact]
    public void Record_ManyEjectionsInARow_MultiplierCappedSoFewHealthyIntervalsEarnBackTheBaseTime()
    {
        var clock = new OutlierTestClock();
        using var cluster = new ClusterResilience(new ClusterKey("reviews.default.svc.cluster.local", null, 9080), clock, new ConnectionPoolClients(), NullLogger.Instance);
        cluster.Apply(0, new TrafficPolicy { OutlierDetection = new OutlierDetection { Consecutive5xxErrors = 1, Interval = OutlierDetectionTests.Duration("1s"), BaseEjectionTime = OutlierDetectionTests.Duration("100s") } }, Three);

        for (var i = 0; i < 10; i++)
        {
            cluster.Record(Three[0], ForwardOutcome.Success, 500);
            var ejected = State(cluster);
            clock.Advance(ejected.EjectedUntil!.Value - clock.GetUtcNow());
        }

        // 100 s × 4 passes the 300 s cap by a base time: the multiplier stays at 4, so four quiet sweeps clear it.
        Assert.Equal((false, 4, 10), (State(cluster).Ejected, State(cluster).Multiplier, State(cluster).TotalEjections));
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, State(cluster).Multiplier);

        cluster.Record(Three[0], ForwardOutcome.Success, 500);
        var state = State(cluster);
        Assert.Equal(TimeSpan.FromSeconds(100), state.EjectedUntil - state.EjectedAt);
    }

    private static ClusterResilienceEndpointSnapshot State(ClusterResilience cluster) =>
        cluster.Describe().Endpoints.Single(e => e.Address == "10.0.0.1");
}
