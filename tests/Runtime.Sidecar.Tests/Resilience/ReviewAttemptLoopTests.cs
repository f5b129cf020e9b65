using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// The retry loop against a scripted forwarder: on every way a request can end, the circuit-breaker counters
/// (requests, pending, retries) return to zero and the downstream body is put back.
/// </summary>
public sealed class ReviewAttemptLoopTests
{
    private static readonly ClusterKey Key = new("reviews.default.svc.cluster.local", null, 9080);
    private static readonly MeshEndpoint[] Two = [OutlierDetectionTests.Endpoint("10.0.0.1"), OutlierDetectionTests.Endpoint("10.0.0.2")];

    [Fact]
    public async Task RunAsync_FirstTrySucceeds_ReleasesEverything()
    {
        var (status, resilience, context, body) = await RunAsync(
            routeTimeout: null,
            (_, _) => Ok());

        Assert.Equal(200, status);
        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_RetriedResponseThenSuccess_ReleasesEverything()
    {
        var (status, resilience, context, body) = await RunAsync(
            routeTimeout: null,
            (request, _) => Claimed(request, 503),
            (_, _) => Ok());

        Assert.Equal(200, status);
        Assert.Equal("2", context.Response.Headers[AttemptLoop.AttemptsHeader]);
        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_RetriesExhausted_ReleasesEverything()
    {
        var (status, resilience, context, body) = await RunAsync(
            routeTimeout: null,
            (_, _) => ConnectFailure(),
            (_, _) => ConnectFailure(),
            (_, _) => ConnectFailure());

        Assert.Equal(503, status);
        Assert.Equal("URX", context.Response.Headers[ForwardErrorWriter.ReasonHeader]);
        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_RetryRefusedByTheCircuitBreaker_ReleasesEverything()
    {
        var others = new List<CircuitBreakerLease>();
        var (status, resilience, context, body) = await RunAsync(
            routeTimeout: null,
            (request, r) =>
            {
                // Meanwhile other requests fill the other endpoint's connection and its one waiting place.
                var other = Two.Single(e => OutboundProxy.Destination(e) != request.Destination);
                for (var i = 0; i < 2; i++)
                {
                    Assert.True(r.TryEnterRequest(other, false, out var lease, out _));
                    others.Add(lease);
                }

                return ConnectFailure();
            });
        others.ForEach(l => l.Dispose());

        Assert.Equal(503, status);
        Assert.Equal("UO", context.Response.Headers[ForwardErrorWriter.ReasonHeader]);
        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_ForwarderThrows_ReleasesEverythingAndRethrows()
    {
        var resilience = Resilience();
        var context = Context();
        var body = context.Request.Body;

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(resilience, context, routeTimeout: null, (_, _) => throw new InvalidOperationException("forwarder bug")));

        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_ClientGoneDuringTheTry_ReleasesEverythingAndWritesNothing()
    {
        using var aborted = new CancellationTokenSource();
        var resilience = Resilience();
        var context = Context();
        context.RequestAborted = aborted.Token;
        var body = context.Request.Body;

        var status = await RunAsync(resilience, context, routeTimeout: null, (_, _) =>
        {
            aborted.Cancel();
            return new ForwardResult(ForwardOutcome.Canceled, ForwardResult.ClientClosedRequest, null, "client gone");
        });

        Assert.Equal(200, status); // untouched: nothing was written
        Assert.False(context.Response.Headers.ContainsKey(ForwardErrorWriter.ReasonHeader));
        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_RouteDeadlinePassesDuringAFailedTry_AnswersTimeoutAndReleasesEverything()
    {
        var tries = 0;
        var resilience = Resilience();
        var context = Context();
        var body = context.Request.Body;

        // The first try fails only after the 1 ms route timeout: no retry is sent.
        var status = await RunAsync(resilience, context, routeTimeout: TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20), (_, _) =>
        {
            tries++;
            return ConnectFailure();
        });

        Assert.Equal((1, 504), (tries, status));
        Assert.Equal("UT", context.Response.Headers[ForwardErrorWriter.ReasonHeader]);
        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_EveryTryHitsItsPerTryTimeout_Answers504UpstreamTimeout()
    {
        var resilience = Resilience();
        var context = Context();
        var body = context.Request.Body;
        var retries = new HttpRetry { Attempts = 2, RetryOn = "5xx", PerTryTimeout = ReviewResilienceTests.Duration(100), Backoff = ReviewResilienceTests.Duration(1) };

        var status = await RunAsync(resilience, context, null, TimeSpan.Zero, retries, (_, _) => PerTryTimeout(), (_, _) => PerTryTimeout(), (_, _) => PerTryTimeout());

        Assert.Equal((504, "UT"), (status, context.Response.Headers[ForwardErrorWriter.ReasonHeader].ToString()));
        Assert.Contains("per-try timeout after 100ms", Written(context), StringComparison.Ordinal);
        Assert.Contains("after 3 tries", Written(context), StringComparison.Ordinal);
        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_ForwarderRefusesTheRequest_OutlierDetectionDoesNotBlameTheEndpoint()
    {
        // Extended CONNECT is refused by the forwarder before any connection: a caller repeating it must not eject endpoints.
        var resilience = Resilience(new OutlierDetection { Consecutive5xxErrors = 1, MaxEjectionPercent = 100 });
        var context = Context();
        var body = context.Request.Body;

        var status = await RunAsync(resilience, context, null, (_, _) => new ForwardResult(ForwardOutcome.UpstreamReset, 501, new NotSupportedException("extended CONNECT"), "extended CONNECT not supported"));

        Assert.Equal(501, status);
        Assert.All(resilience.Describe().Endpoints, e => Assert.Equal((false, 0), (e.Ejected, e.Consecutive5xx)));
        AssertReleased(resilience, context, body);
    }

    [Fact]
    public async Task RunAsync_TimeoutAfterTheResponseStarted_CountsTheResponseNotAFailure()
    {
        // A stream cut by the route timeout after a 200 started: the endpoint answered, as Envoy records it.
        var resilience = Resilience(new OutlierDetection { Consecutive5xxErrors = 1, MaxEjectionPercent = 100 });
        var context = Context();
        var body = context.Request.Body;

        await RunAsync(resilience, context, null, (_, _) => new ForwardResult(ForwardOutcome.UpstreamTimeout, 200, new TaskCanceledException("route timeout"), "upstream response body interrupted") { ResponseStarted = true });

        Assert.All(resilience.Describe().Endpoints, e => Assert.Equal((false, 0, 0), (e.Ejected, e.Consecutive5xx, e.ConsecutiveGateway)));
        AssertReleased(resilience, context, body);
    }

    private static ForwardResult PerTryTimeout() => new(ForwardOutcome.UpstreamTimeout, 504, new TaskCanceledException("per-try timeout"), "timeout");

    private static string Written(HttpContext context) => System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private static async Task<(int Status, ClusterResilience Resilience, HttpContext Context, Stream Body)> RunAsync(
        TimeSpan? routeTimeout, params Func<ForwardRequest, ClusterResilience, ForwardResult>[] tries)
    {
        var resilience = Resilience();
        var context = Context();
        var body = context.Request.Body;
        var status = await RunAsync(resilience, context, routeTimeout, TimeSpan.Zero, tries);
        return (status, resilience, context, body);
    }

    private static Task<int> RunAsync(ClusterResilience resilience, HttpContext context, TimeSpan? routeTimeout, params Func<ForwardRequest, ClusterResilience, ForwardResult>[] tries) =>
        RunAsync(resilience, context, routeTimeout, TimeSpan.Zero, tries);

    private static Task<int> RunAsync(ClusterResilience resilience, HttpContext context, TimeSpan? routeTimeout, TimeSpan stall, params Func<ForwardRequest, ClusterResilience, ForwardResult>[] tries) =>
        RunAsync(resilience, context, routeTimeout, stall, new HttpRetry { Attempts = 2, RetryOn = "5xx,connect-failure", Backoff = ReviewResilienceTests.Duration(1) }, tries);

    private static async Task<int> RunAsync(ClusterResilience resilience, HttpContext context, TimeSpan? routeTimeout, TimeSpan stall, HttpRetry retries, params Func<ForwardRequest, ClusterResilience, ForwardResult>[] tries)
    {
        var cluster = ReviewResilienceTests.Attached(resilience, Two);
        var actions = new RouteActions
        {
            RetryPolicy = RetryPolicy.Compile(retries),
        };
        var view = new RequestView("POST", "http", "reviews", "/", "", _ => null, "127.0.0.1");
        var endpoint = cluster.Balancer.Pick(view)!;
        Assert.True(resilience.TryEnterRequest(endpoint, false, out var admission, out _));
        var attempts = new AttemptContext(context, actions, [], null, resilience);
        var first = new ForwardRequest
        {
            Destination = OutboundProxy.Destination(endpoint),
            PathAndQuery = "/",
            Authority = "reviews",
            Timeout = actions.RetryPolicy.FirstTryTimeout(routeTimeout),
            Client = admission.Client,
            RetryCheck = attempts.RetryCheck,
            RequestHeaders = attempts.EditRequestHeaders,
            ResponseHeaders = attempts.EditResponseHeaders,
        };

        var forwarder = new ScriptedForwarder(resilience, stall, tries);
        await AttemptLoop.RunAsync(context, forwarder, cluster, view, endpoint, admission, false, first, attempts, routeTimeout, NullLogger.Instance).Within();
        return context.Response.StatusCode;
    }

    private static ClusterResilience Resilience(OutlierDetection? outlier = null)
    {
        var resilience = new ClusterResilience(Key, TimeProvider.System, new ConnectionPoolClients(), NullLogger.Instance);
        resilience.Apply(0, new TrafficPolicy
        {
            OutlierDetection = outlier,
            ConnectionPool = new ConnectionPoolSettings
            {
                Tcp = new TcpConnectionPool { MaxConnections = 1 },
                Http = new HttpConnectionPool { Http2MaxRequests = 10, Http1MaxPendingRequests = 1, MaxRetries = 5 },
            },
        }, Two);
        return resilience;
    }

    private static DefaultHttpContext Context()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentLength = 5;
        context.Request.Body = new MemoryStream("hello"u8.ToArray());
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static void AssertReleased(ClusterResilience resilience, HttpContext context, Stream body)
    {
        Assert.Equal((0, 0, 0), (resilience.ActiveRequests, resilience.PendingRequests, resilience.ActiveRetries));
        Assert.All(resilience.Describe().Endpoints, e => Assert.Equal((0, 0), (e.InFlight, e.Http1InFlight)));
        Assert.Same(body, context.Request.Body);
        resilience.Dispose();
    }

    private static ForwardResult Ok() => new(ForwardOutcome.Success, 200, null, null);

    private static ForwardResult ConnectFailure() => new(ForwardOutcome.ConnectFailure, 503, new HttpRequestException("refused"), "connect failure");

    private static ForwardResult Claimed(ForwardRequest request, int status)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        return request.RetryCheck?.ShouldRetry(response) == true
            ? new ForwardResult(ForwardOutcome.RetriableResponse, status, null, "claimed")
            : new ForwardResult(ForwardOutcome.Success, status, null, null);
    }

    private sealed class ScriptedForwarder(ClusterResilience resilience, TimeSpan stall, Func<ForwardRequest, ClusterResilience, ForwardResult>[] tries) : IHttpForwarder
    {
        private int _next;

        public async ValueTask<ForwardResult> ForwardAsync(HttpContext context, ForwardRequest request, CancellationToken cancellationToken)
        {
            // Read the body as the forwarder would, so a retry must rewind it.
            await context.Request.Body.CopyToAsync(Stream.Null, cancellationToken);
            if (stall > TimeSpan.Zero)
            {
                await Task.Delay(stall, CancellationToken.None);
            }

            Assert.True(_next < tries.Length, "more tries than scripted");
            return tries[_next++](request, resilience);
        }
    }
}
