using System.Diagnostics;
using System.Net;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// Route timeout and per-try timeout end to end, measured by elapsed time with generous bounds: the slow upstream
/// would take 5 s, so an answer well before that proves the sidecar cut it short.
/// </summary>
public sealed class TimeoutTests
{
    private const string Host = "slow.test";

    private const string Routes = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: slow
        spec:
          hosts: [slow.test]
          http:
          - name: routetimeout
            match: [{ uri: { prefix: /route } }]
            timeout: 300ms
            retries: { attempts: 0 }
            route: [{ destination: { host: slow.test } }]
          - name: pertryretried
            match: [{ uri: { prefix: /per-try-retried } }]
            retries: { attempts: 2, perTryTimeout: 200ms, retryOn: 5xx }
            route: [{ destination: { host: slow.test } }]
          - name: pertrynotretried
            match: [{ uri: { prefix: /per-try-not-retried } }]
            retries: { attempts: 2, perTryTimeout: 200ms, retryOn: connect-failure }
            route: [{ destination: { host: slow.test } }]
          - name: routeboundsretries
            match: [{ uri: { prefix: /bounded } }]
            timeout: 500ms
            retries: { attempts: 10, perTryTimeout: 200ms, retryOn: reset }
            route: [{ destination: { host: slow.test } }]
          - name: slowfallback
            route: [{ destination: { host: slow.test } }]
        """;

    [Fact]
    public async Task Timeout_RouteTimeout_Answers504UpstreamTimeoutAfterTheTimeout()
    {
        await using var mesh = await StartAsync();

        var (response, elapsed) = await TimedAsync(mesh, "/route", "route", "slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("UT", RetryTestMesh.Header(response, "x-mesh-reason"));
        Assert.Contains("upstream request timeout after 300ms for slow.test:80", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Timeout_PerTryTimeoutWith5xx_SlowTryIsRetriedAndTheSecondAnswers()
    {
        await using var mesh = await StartAsync();

        var (response, elapsed) = await TimedAsync(mesh, "/per-try-retried", "retried", "slow");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, mesh.Upstream.Arrivals("retried"));
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Timeout_PerTryTimeoutWithoutMatchingCondition_Answers504AfterOneTry()
    {
        await using var mesh = await StartAsync();

        var (response, elapsed) = await TimedAsync(mesh, "/per-try-not-retried", "notretried", "slow");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("UT", RetryTestMesh.Header(response, "x-mesh-reason"));
        Assert.Contains("per-try timeout after 200ms", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, mesh.Upstream.Arrivals("notretried"));
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Timeout_RouteTimeout_BoundsAllRetriesAndBackoff()
    {
        await using var mesh = await StartAsync();

        var (response, elapsed) = await TimedAsync(mesh, "/bounded", "bounded", "slow", failTimes: 100);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("UT", RetryTestMesh.Header(response, "x-mesh-reason"));
        Assert.Contains("upstream request timeout after 500ms", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(490), TimeSpan.FromSeconds(4));

        // 500 ms holds at most three 200 ms tries, whatever the back-off (of the 11 the policy would allow).
        Assert.InRange(mesh.Upstream.Arrivals("bounded"), 1, 3);
    }

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(TimeoutMesh mesh, string path, string testCase, string fail, int failTimes = 1)
    {
        var watch = Stopwatch.StartNew();
        var response = await mesh.Mesh.SendAsync(Host, path, null, ("x-case", testCase), ("x-fail", fail), ("x-fail-times", failTimes.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await response.Content.LoadIntoBufferAsync();
        return (response, watch.Elapsed);
    }

    private static async Task<TimeoutMesh> StartAsync()
    {
        var mesh = await RetryTestMesh.StartAsync();
        var upstream = await mesh.StartUpstreamAsync("slow");
        await mesh.ApplyAsync(Host, [upstream.Port], Routes, "slowfallback");
        return new TimeoutMesh(mesh, upstream);
    }

    private sealed record TimeoutMesh(RetryTestMesh Mesh, RetryUpstream Upstream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Mesh.DisposeAsync();
    }
}
