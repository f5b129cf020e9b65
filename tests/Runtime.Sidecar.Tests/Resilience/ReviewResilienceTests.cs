using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Common;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.LoadBalancing;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// Review regressions: maxEjectionPercent never overshot, the pending count kept exact across endpoint removal, and
/// the upgrade marker only ever set by the sidecar itself.
/// </summary>
public sealed class ReviewResilienceTests
{
    private static readonly ClusterKey Key = new("reviews.default.svc.cluster.local", null, 9080);
    private static readonly MeshEndpoint[] Three = [OutlierDetectionTests.Endpoint("10.0.0.1"), OutlierDetectionTests.Endpoint("10.0.0.2"), OutlierDetectionTests.Endpoint("10.0.0.3")];

    [Theory]
    [InlineData(50, 1)] // a second ejection would put 67 % out
    [InlineData(66, 1)]
    [InlineData(67, 2)]
    [InlineData(100, 3)]
    public void Record_MaxEjectionPercent_NeverEjectsBeyondTheShare(int maxEjectionPercent, int expected)
    {
        using var cluster = new ClusterResilience(Key, TimeProvider.System, new ConnectionPoolClients(), NullLogger.Instance);
        cluster.Apply(0, new TrafficPolicy { OutlierDetection = new OutlierDetection { Consecutive5xxErrors = 1, MaxEjectionPercent = maxEjectionPercent } }, Three);

        foreach (var endpoint in Three)
        {
            cluster.Record(endpoint, ForwardOutcome.Success, 500);
        }

        Assert.Equal(expected, Three.Count(cluster.IsEjected));
    }

    [Fact]
    public void ExitRequest_EndpointRemovedWhileWaiting_DoesNotFreeAnotherEndpointsPendingPlace()
    {
        var policy = new TrafficPolicy
        {
            ConnectionPool = new ConnectionPoolSettings { Tcp = new TcpConnectionPool { MaxConnections = 1 }, Http = new HttpConnectionPool { Http1MaxPendingRequests = 1 } },
        };
        using var cluster = new ClusterResilience(Key, TimeProvider.System, new ConnectionPoolClients(), NullLogger.Instance);
        cluster.Apply(0, policy, Three);
        Assert.True(cluster.TryEnterRequest(Three[0], false, out var removedBusy, out _));
        Assert.True(cluster.TryEnterRequest(Three[0], false, out var removedWaiting, out _));
        Assert.Equal(1, cluster.PendingRequests);

        // A push drops 10.0.0.1: its waiting request no longer counts; 10.0.0.2 fills its connection and one waits.
        cluster.Apply(1, policy, Three[1..]);
        Assert.Equal(0, cluster.PendingRequests);
        Assert.True(cluster.TryEnterRequest(Three[1], false, out var busy, out _));
        Assert.True(cluster.TryEnterRequest(Three[1], false, out var waiting, out _));
        Assert.Equal(1, cluster.PendingRequests);

        removedWaiting.Dispose();
        removedBusy.Dispose();

        Assert.Equal(1, cluster.PendingRequests);
        Assert.False(cluster.TryEnterRequest(Three[1], false, out _, out _));
        waiting.Dispose();
        busy.Dispose();
        Assert.Equal((0, 0), (cluster.ActiveRequests, cluster.PendingRequests));
    }

    [Fact]
    public void ExitRequest_EndpointRemovedAndReadded_KeepsThePendingCountExact()
    {
        var policy = new TrafficPolicy
        {
            ConnectionPool = new ConnectionPoolSettings { Tcp = new TcpConnectionPool { MaxConnections = 1 }, Http = new HttpConnectionPool { Http1MaxPendingRequests = 1 } },
        };
        using var cluster = new ClusterResilience(Key, TimeProvider.System, new ConnectionPoolClients(), NullLogger.Instance);
        cluster.Apply(0, policy, Three);
        Assert.True(cluster.TryEnterRequest(Three[0], false, out var oldBusy, out _));
        Assert.True(cluster.TryEnterRequest(Three[0], false, out var oldWaiting, out _));
        cluster.Apply(1, policy, Three[1..]);
        cluster.Apply(2, policy, Three);

        Assert.True(cluster.TryEnterRequest(Three[0], false, out var busy, out _));
        Assert.True(cluster.TryEnterRequest(Three[0], false, out var waiting, out _));
        oldWaiting.Dispose();
        oldBusy.Dispose();

        Assert.Equal(1, cluster.PendingRequests);
        waiting.Dispose();
        busy.Dispose();
        Assert.Equal((0, 0), (cluster.ActiveRequests, cluster.PendingRequests));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EditRequestHeaders_MarkerFromTheApp_OnlyTheSidecarSetsIt(bool upgrade)
    {
        var context = new DefaultHttpContext();
        var attempts = new AttemptContext(context, new RouteActions(), [], null, upgradedFromHttp1: upgrade);
        using var message = new HttpRequestMessage(HttpMethod.Get, "http://reviews/");
        message.Headers.TryAddWithoutValidation(MeshHeaders.UpgradedFromHttp1, "1");

        attempts.EditRequestHeaders(new RequestHeaderEditor(message));

        Assert.Equal(upgrade, message.Headers.Contains(MeshHeaders.UpgradedFromHttp1));
        attempts.Dispose();
    }

    internal static Cluster Attached(ClusterResilience resilience, MeshEndpoint[] endpoints)
    {
        var settings = new LoadBalancerSettings { Simple = SimpleLoadBalancer.RoundRobin };
        var cluster = new Cluster(resilience.Key, endpoints, LoadBalancerFactory.Create(settings, endpoints), new TrafficPolicy { LoadBalancer = settings });
        cluster.Attach(resilience);
        return cluster;
    }

    internal static MeshDuration Duration(int milliseconds) => new(TimeSpan.FromMilliseconds(milliseconds), $"{milliseconds}ms", true);
}
