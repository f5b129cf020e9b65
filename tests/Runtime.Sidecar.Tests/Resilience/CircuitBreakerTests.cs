using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>Admission against the connection-pool limits: refused at once with a sentence, never queued.</summary>
public sealed class CircuitBreakerTests
{
    private static readonly ClusterKey Key = new("reviews.default.svc.cluster.local", null, 9080);
    private static readonly MeshEndpoint[] Two = [OutlierDetectionTests.Endpoint("10.0.0.1"), OutlierDetectionTests.Endpoint("10.0.0.2")];

    [Fact]
    public void TryEnterRequest_Http2MaxRequestsInFlight_RefusesUntilOneEnds()
    {
        using var cluster = Create(new HttpConnectionPool { Http2MaxRequests = 2 });

        Assert.True(cluster.TryEnterRequest(Two[0], http2Upstream: true, out var first, out _));
        Assert.True(cluster.TryEnterRequest(Two[1], http2Upstream: false, out var second, out _));
        Assert.False(cluster.TryEnterRequest(Two[0], http2Upstream: true, out _, out var overflow));
        Assert.Equal("connection pool overflow for reviews.default.svc.cluster.local:9080: 2 requests in flight, http2MaxRequests 2", overflow);

        first.Dispose();
        Assert.True(cluster.TryEnterRequest(Two[0], http2Upstream: true, out var third, out _));
        second.Dispose();
        third.Dispose();

        Assert.Equal((0, 1L), (cluster.ActiveRequests, cluster.RequestOverflows));
    }

    [Fact]
    public void TryEnterRequest_Http1BeyondMaxConnections_WaitsUpToHttp1MaxPendingRequests()
    {
        using var cluster = Create(new HttpConnectionPool { Http1MaxPendingRequests = 1 }, new TcpConnectionPool { MaxConnections = 1 });

        Assert.True(cluster.TryEnterRequest(Two[0], false, out var onConnection, out _));
        Assert.True(cluster.TryEnterRequest(Two[0], false, out var waiting, out _));
        Assert.Equal(1, cluster.PendingRequests);
        Assert.False(cluster.TryEnterRequest(Two[0], false, out _, out var overflow));
        Assert.Equal("connection pool overflow for reviews.default.svc.cluster.local:9080: 1 requests waiting for a connection, http1MaxPendingRequests 1 (maxConnections 1 busy on 10.0.0.1:15006)", overflow);

        // The other endpoint has its own connection; HTTP/2 never waits for a connection.
        Assert.True(cluster.TryEnterRequest(Two[1], false, out var other, out _));
        Assert.True(cluster.TryEnterRequest(Two[0], true, out var multiplexed, out _));

        onConnection.Dispose();
        Assert.Equal(0, cluster.PendingRequests);
        Assert.True(cluster.TryEnterRequest(Two[0], false, out var next, out _));
        foreach (var lease in new[] { waiting, other, multiplexed, next })
        {
            lease.Dispose();
        }

        Assert.Equal((0, 0, 1L), (cluster.ActiveRequests, cluster.PendingRequests, cluster.PendingOverflows));
    }

    [Fact]
    public void TryEnterRetry_MaxRetriesInFlight_Refuses()
    {
        using var cluster = Create(new HttpConnectionPool { MaxRetries = 1 });

        Assert.True(cluster.TryEnterRetry(out var retry, out _));
        Assert.False(cluster.TryEnterRetry(out _, out var overflow));
        Assert.Equal("connection pool overflow for reviews.default.svc.cluster.local:9080: 1 retries in flight, maxRetries 1", overflow);
        retry.Dispose();

        Assert.True(cluster.TryEnterRetry(out var again, out _));
        again.Dispose();
        Assert.Equal((0, 1L), (cluster.ActiveRetries, cluster.RetryOverflows));
    }

    [Fact]
    public void TryEnterRequest_NoLimits_AdmitsAndCountsInFlight()
    {
        using var cluster = Create(null);
        var leases = new List<CircuitBreakerLease>();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(cluster.TryEnterRequest(Two[i % 2], false, out var lease, out _));
            leases.Add(lease);
        }

        Assert.Equal([50, 50], cluster.Describe().Endpoints.Select(e => e.InFlight));
        leases.ForEach(l => l.Dispose());
        Assert.Equal(0, cluster.ActiveRequests);
    }

    [Fact]
    public void TryEnterRequest_Admitted_AllocatesNothing()
    {
        using var cluster = Create(new HttpConnectionPool { Http2MaxRequests = 10, MaxRetries = 10 });
        Enter(cluster);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Enter(cluster);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void Enter(ClusterResilience cluster)
        {
            if (cluster.TryEnterRequest(Two[0], false, out var lease, out _))
            {
                lease.Dispose();
            }

            if (cluster.TryEnterRetry(out var retry, out _))
            {
                retry.Dispose();
            }
        }
    }

    [Fact]
    public void Apply_LimitsChangeWhileRequestsWait_PendingRecountedAgainstTheNewLimit()
    {
        using var cluster = Create(new HttpConnectionPool { Http1MaxPendingRequests = 5 }, new TcpConnectionPool { MaxConnections = 1 });
        var leases = new List<CircuitBreakerLease>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(cluster.TryEnterRequest(Two[0], false, out var lease, out _));
            leases.Add(lease);
        }

        Assert.Equal(2, cluster.PendingRequests);

        cluster.Apply(1, new TrafficPolicy { ConnectionPool = new ConnectionPoolSettings { Tcp = new TcpConnectionPool { MaxConnections = 2 }, Http = new HttpConnectionPool { Http1MaxPendingRequests = 5 } } }, Two);
        Assert.Equal(1, cluster.PendingRequests);

        leases.ForEach(l => l.Dispose());
        Assert.Equal((0, 0), (cluster.PendingRequests, cluster.ActiveRequests));
    }

    private static ClusterResilience Create(HttpConnectionPool? http, TcpConnectionPool? tcp = null)
    {
        var cluster = new ClusterResilience(Key, TimeProvider.System, new ConnectionPoolClients(), NullLogger.Instance);
        var pool = http is null && tcp is null ? null : new ConnectionPoolSettings { Http = http, Tcp = tcp };
        cluster.Apply(0, pool is null ? null : new TrafficPolicy { ConnectionPool = pool }, Two);
        return cluster;
    }
}
