using System.Net;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Discovery;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using static Runtime.Sidecar.Tests.Resilience.OutlierMeshFixture;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// Retries and the cluster's resilience state working together, end to end: every try (also one whose response
/// was claimed for a retry) feeds outlier detection, ejections reach the control plane, and retries are admitted
/// against <c>connectionPool.http.maxRetries</c>.
/// </summary>
public sealed class ResilienceIntegrationTests
{
    private const int Concurrency = 4;

    [Fact]
    public async Task RetriesAndOutlierDetection_OneEndpointAlways503_AllSucceedAndItIsEjectedAfterTwoTries()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var bad = await RetryUpstream.StartAsync("bad", alwaysFail: 503);
        var (client, badSidecar) = await StartRetriedAndOutlierCheckedAsync(mesh, bad);
        using var http = NewClient();

        var responses = await SendConcurrentlyAsync(http, client, 100);

        // Each try that met the failing endpoint was retried elsewhere; none of its 503s reached the caller.
        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.DoesNotContain(responses, r => r.Body.StartsWith("bad", StringComparison.Ordinal));
        await Eventually.Async("the failing endpoint ejected", async () => await OutlierOfAsync(client, badSidecar.InboundAddress) is { } o && o.GetProperty("ejected").GetBoolean());
        var outlier = (await OutlierOfAsync(client, badSidecar.InboundAddress))!.Value;
        Assert.Equal("2 consecutive 5xx (last: 503)", outlier.GetProperty("reason").GetString());
        Assert.Equal(1, outlier.GetProperty("totalEjections").GetInt32());

        // Two failures eject it; at most the tries already in flight when the second was recorded arrive after that.
        var arrivalsAtEjection = bad.Arrivals("");
        Assert.InRange(arrivalsAtEjection, 2, 2 + (Concurrency - 1));

        // Once ejected it gets nothing, first tries or retries.
        var afterEjection = await SendConcurrentlyAsync(http, client, 40);
        Assert.All(afterEjection, r => Assert.Equal(200, r.Status));
        Assert.Equal(arrivalsAtEjection, bad.Arrivals(""));
        Assert.True((await OutlierOfAsync(client, badSidecar.InboundAddress))!.Value.GetProperty("ejected").GetBoolean(), "the ejection (30s) ended during the test; the check above proves nothing");
    }

    [Fact]
    public async Task RetriesAndOutlierDetection_RetriedEndpointEjected_ReportedToTheControlPlaneAsEjected()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var bad = await RetryUpstream.StartAsync("bad", alwaysFail: 503);
        var (client, badSidecar) = await StartRetriedAndOutlierCheckedAsync(mesh, bad);
        using var http = NewClient();

        // Sequential requests: the failing endpoint's 503s are all claimed for retries, never relayed.
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(200, (await GetAsync(http, client, "/")).Status);
        }

        // The sidecar's IOutlierStatusSource (its ClusterResilienceRegistry) goes out with the heartbeats.
        EndpointOutlierStatus? reported = null;
        await Eventually.Async("the ejection in the control plane's endpoint health", async () =>
        {
            var health = await HealthAsync(mesh);
            reported = health.Find(ReviewsFqdn, badSidecar.InboundAddress.Host, badSidecar.InboundAddress.Port)?.Reports.Select(r => r.Status).FirstOrDefault(s => s.Ejected);
            return reported is not null;
        });

        Assert.Equal(2, bad.Arrivals(""));
        Assert.Equal(1, reported!.EjectionCount);
        Assert.Equal("2 consecutive 5xx (last: 503)", reported.Reason);
        Assert.NotNull(reported.EjectedUntil);
        var health = await HealthAsync(mesh);
        Assert.Equal([badSidecar.InboundAddress.Port], health.Endpoints.Where(e => e.Host == ReviewsFqdn && e.EjectedBy > 0).Select(e => e.Port));
    }

    [Fact]
    public async Task RetriesAndOutlierDetection_ConnectFailuresRetried_CountAsLocalOriginFailuresAndEject()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var live = await mesh.StartUpstreamAsync("live");
        var closed = RetryUpstream.ClosedPort();
        await mesh.ApplyAsync("halfdead.test", [closed, live.Port], """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: halfdead
            spec:
              hosts: [halfdead.test]
              http:
              - name: halfdeadroute
                retries: { attempts: 1, retryOn: connect-failure }
                route: [{ destination: { host: halfdead.test } }]
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: halfdead-ejecting
            spec:
              host: halfdead.test
              trafficPolicy:
                loadBalancer: { simple: ROUND_ROBIN }
                outlierDetection:
                  consecutive5xxErrors: 2
                  baseEjectionTime: 30s
                  maxEjectionPercent: 100
            """, "halfdead-ejecting");
        await MeshHarness.WaitForConfigAsync(mesh.Client, "halfdeadroute");

        // A request whose first try met the closed port says so: it needed 2 tries.
        var retried = 0;
        for (var i = 0; i < 20; i++)
        {
            using var response = await mesh.SendAsync("halfdead.test", "/", null, ("x-case", "halfdead"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            retried += RetryTestMesh.Header(response, Runtime.Sidecar.Resilience.AttemptLoop.AttemptsHeader) == "2" ? 1 : 0;
        }

        var outlier = (await OutlierOfAsync(mesh.Client, new Uri($"http://127.0.0.1:{closed}"), "halfdead.test"))!.Value;
        Assert.True(outlier.GetProperty("ejected").GetBoolean(), outlier.ToString());
        Assert.Equal("2 consecutive 5xx (last: connect failure)", outlier.GetProperty("reason").GetString());
        Assert.Equal(2, retried);
        Assert.Equal(20, live.Arrivals("halfdead"));
    }

    [Fact]
    public async Task RetriesAndOutlierDetection_EveryEndpointEjectedByTheRetries_NoRetrySentToAnEjectedEndpoint()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        var a = await mesh.StartUpstreamAsync("a", alwaysFail: 503);
        var b = await mesh.StartUpstreamAsync("b", alwaysFail: 503);
        await mesh.ApplyAsync("allout.test", [a.Port, b.Port], """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: allout
            spec:
              hosts: [allout.test]
              http:
              - name: alloutroute
                retries: { attempts: 3, retryOn: 5xx }
                route: [{ destination: { host: allout.test } }]
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: allout-ejecting
            spec:
              host: allout.test
              trafficPolicy:
                outlierDetection:
                  consecutive5xxErrors: 1
                  baseEjectionTime: 30s
                  maxEjectionPercent: 100
            """, "allout-ejecting");
        await MeshHarness.WaitForConfigAsync(mesh.Client, "alloutroute");

        // The first try ejects one endpoint, the first retry the other: from then on nothing is left to try.
        using var response = await mesh.SendAsync("allout.test", "/", null, ("x-case", "allout"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var endpoints = (await BudgetClusterAsync(mesh, "allout.test")).GetProperty("endpoints").EnumerateArray().ToArray();
        Assert.All(endpoints, e => Assert.True(e.GetProperty("outlier").GetProperty("ejected").GetBoolean()));
        Assert.True(
            (a.Arrivals("allout"), b.Arrivals("allout")) == (1, 1),
            $"tries reached ejected endpoints: a {a.Arrivals("allout")}, b {b.Arrivals("allout")} arrivals; answer {RetryTestMesh.Header(response, "x-mesh-reason")} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task RetryBudget_MaxRetriesOneHeldByARetry_SecondRequestsRetryRefusedThenAdmittedAfterwards()
    {
        await using var mesh = await RetryTestMesh.StartAsync();
        await using var upstream = await ResilienceIntegrationUpstream.StartAsync();
        await mesh.ApplyAsync("budget.test", [upstream.Port], """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: budget
            spec:
              hosts: [budget.test]
              http:
              - name: budgetroute
                retries: { attempts: 1, retryOn: 5xx }
                route: [{ destination: { host: budget.test } }]
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: budget-pool
            spec:
              host: budget.test
              trafficPolicy:
                connectionPool: { http: { maxRetries: 1 } }
            """, "budget-pool");
        await MeshHarness.WaitForConfigAsync(mesh.Client, "budgetroute");

        // A's first try fails; its retry is held open at the upstream and keeps the only place in the retry budget.
        var first = mesh.SendAsync("budget.test", "/", null, ("x-case", "a"), ("x-fail-first", "1"), ("x-hold", "1"));
        await upstream.WaitForHeldAsync("a", 1);
        Assert.Equal(1, (await BudgetClusterAsync(mesh)).GetProperty("activeRetries").GetInt32());

        // B's first try fails too; the budget refuses its retry, so B gets its own 503 as the upstream sent it.
        using (var refused = await mesh.SendAsync("budget.test", "/", null, ("x-case", "b"), ("x-fail-first", "1")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("refused arrival 1", await refused.Content.ReadAsStringAsync());
            Assert.Equal("", RetryTestMesh.Header(refused, "x-mesh-reason"));
            Assert.Equal(1, upstream.Arrivals("b"));
        }

        var whileHeld = await BudgetClusterAsync(mesh);
        Assert.Equal(1, whileHeld.GetProperty("overflows").GetProperty("retries").GetInt64());
        Assert.False(first.IsCompleted);

        upstream.Release.Open();
        using (var held = await first)
        {
            Assert.Equal(HttpStatusCode.OK, held.StatusCode);
            Assert.Equal("served arrival 2", await held.Content.ReadAsStringAsync());
            Assert.Equal("2", RetryTestMesh.Header(held, Runtime.Sidecar.Resilience.AttemptLoop.AttemptsHeader));
        }

        // The budget comes back when A ends: C's failed first try is retried.
        await Eventually.Async("the retry budget released", async () => (await BudgetClusterAsync(mesh)).GetProperty("activeRetries").GetInt32() == 0);
        using var admitted = await mesh.SendAsync("budget.test", "/", null, ("x-case", "c"), ("x-fail-first", "1"));
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(2, upstream.Arrivals("c"));
        Assert.Equal(1, (await BudgetClusterAsync(mesh)).GetProperty("overflows").GetProperty("retries").GetInt64());
    }

    /// <summary>
    /// Three reviews endpoints behind real sidecars, <paramref name="bad"/> always answering 503; retries
    /// <c>{attempts: 3, retryOn: 5xx}</c> and ejection after 2 consecutive 5xx for 30 s, with no ejection cap.
    /// </summary>
    private static async Task<(RunningSidecar Client, RunningSidecar BadSidecar)> StartRetriedAndOutlierCheckedAsync(MeshHarness mesh, RetryUpstream bad)
    {
        var badSidecar = await mesh.StartSidecarAsync("reviews", null, appPort: bad.Port, labels: ["app=reviews"]);
        await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("good1"), labels: ["app=reviews"]);
        await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("good2"), labels: ["app=reviews"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 3);
        await mesh.ApplyAsync("""
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews-retried
            spec:
              hosts: [reviews]
              http:
              - name: reviewsretried
                retries: { attempts: 3, retryOn: 5xx }
                route: [{ destination: { host: reviews } }]
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: reviews-ejecting
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: { simple: ROUND_ROBIN }
                outlierDetection:
                  consecutive5xxErrors: 2
                  interval: 1s
                  baseEjectionTime: 30s
                  maxEjectionPercent: 100
            """);
        await MeshHarness.WaitForConfigAsync(client, "reviewsretried");
        await MeshHarness.WaitForConfigAsync(client, "reviews-ejecting");
        return (client, badSidecar);
    }

    private static async Task<(int Status, string Body, string? Reason)[]> SendConcurrentlyAsync(HttpClient http, RunningSidecar client, int count)
    {
        var results = new (int, string, string?)[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                results[i] = await GetAsync(http, client, "/");
            }
        })).WaitAsync(TestTimeouts.Bulk);
        return results;
    }

    private static async Task<MeshOutlierHealth> HealthAsync(MeshHarness mesh) =>
        DiscoveryMessages.FromMessage(await mesh.Api.UnaryAsync(
            "/runtime.mesh.v1.DiscoveryService/ListEndpointHealth", new V1.ListEndpointHealthRequest(), V1.ListEndpointHealthResponse.Parser, new GrpcCallOptions { Timeout = TestTimeouts.Default }));

    private static async Task<System.Text.Json.JsonElement> BudgetClusterAsync(RetryTestMesh mesh, string host = "budget.test") =>
        Assert.Single(await ClustersAsync(mesh.Client, host));
}
