using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// The retry decision of a request (<see cref="AttemptContext.CanRetry"/>) asks the cluster's retry budget
/// (<c>connectionPool.http.maxRetries</c>): two requests of one cluster share it.
/// </summary>
public sealed class ResilienceIntegrationRetryBudgetTests
{
    private static readonly ClusterKey Key = new("reviews.default.svc.cluster.local", null, 9080);
    private static readonly MeshEndpoint[] Two = [OutlierDetectionTests.Endpoint("10.0.0.1"), OutlierDetectionTests.Endpoint("10.0.0.2")];

    [Fact]
    public void CanRetry_MaxRetriesOneHeldByAnotherRequest_RefusedAndCountedUntilThatRequestEnds()
    {
        using var cluster = Create(maxRetries: 1);
        var first = Request(cluster);
        var second = Request(cluster);

        Assert.True(first.CanRetry());
        Assert.Equal(1, cluster.ActiveRetries);
        Assert.False(second.CanRetry());
        using var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        Assert.False(second.ShouldRetry(unavailable));
        Assert.Equal((1, 2L), (cluster.ActiveRetries, cluster.RetryOverflows));

        // The first request's next decision gives back its own place before asking again: not refused by itself.
        first.BeginRetry(Two[0]);
        Assert.True(first.CanRetry());
        Assert.Equal(1, cluster.ActiveRetries);

        first.Dispose();
        Assert.Equal(0, cluster.ActiveRetries);
        Assert.True(second.CanRetry());
        Assert.Equal(1, cluster.ActiveRetries);
        second.Dispose();

        Assert.Equal((0, 2L), (cluster.ActiveRetries, cluster.RetryOverflows));
    }

    [Fact]
    public void CanRetry_RetriesUsedUp_RefusedWithoutTakingOrCountingBudget()
    {
        using var cluster = Create(maxRetries: 1);
        var request = Request(cluster, attempts: 1);

        Assert.True(request.CanRetry());
        request.BeginRetry(Two[0]);
        Assert.False(request.CanRetry());

        // A refusal by the route's own limit is not a budget overflow.
        Assert.Equal(0, cluster.RetryOverflows);
        request.Dispose();
        Assert.Equal(0, cluster.ActiveRetries);
    }

    private static AttemptContext Request(ClusterResilience cluster, int attempts = 2) =>
        new(new DefaultHttpContext(), new RouteActions { RetryPolicy = RetryPolicy.Compile(new HttpRetry { Attempts = attempts, RetryOn = "5xx" }) }, [], null, cluster);

    private static ClusterResilience Create(int maxRetries)
    {
        var cluster = new ClusterResilience(Key, TimeProvider.System, new ConnectionPoolClients(), NullLogger.Instance);
        cluster.Apply(0, new TrafficPolicy { ConnectionPool = new ConnectionPoolSettings { Http = new HttpConnectionPool { MaxRetries = maxRetries } } }, Two);
        return cluster;
    }
}
