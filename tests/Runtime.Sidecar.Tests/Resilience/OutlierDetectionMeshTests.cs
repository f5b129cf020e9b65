using Runtime.Sidecar.Tests.Mesh;
using static Runtime.Sidecar.Tests.Resilience.OutlierMeshFixture;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// Outlier detection end to end: a client sidecar in front of real server sidecars whose apps fail on purpose.
/// The ejection state is read from the client sidecar's <c>/clusters</c>, never inferred from timing.
/// </summary>
public sealed class OutlierDetectionMeshTests
{
    [Fact]
    public async Task Outlier_AlwaysFailingEndpoint_EjectedThenReadmittedThenEjectedForTwiceAsLong()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var bad = await StartFailingAppAsync("bad");
        var badSidecar = await mesh.StartSidecarAsync("reviews", bad, labels: ["app=reviews"]);
        await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("good1"), labels: ["app=reviews"]);
        await mesh.StartSidecarAsync("reviews", await mesh.StartAppAsync("good2"), labels: ["app=reviews"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 3);
        await mesh.ApplyAsync("""
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: reviews-outlier
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: { simple: ROUND_ROBIN }
                outlierDetection:
                  consecutive5xxErrors: 3
                  interval: 1s
                  baseEjectionTime: 3s
                  maxEjectionPercent: 50
            """);
        await MeshHarness.WaitForConfigAsync(client, "reviews-outlier");
        using var http = NewClient();

        // Round robin: every third request meets the failing endpoint; the third failure ejects it.
        var failures = 0;
        for (var i = 0; i < 30 && failures < 3; i++)
        {
            failures += (await GetAsync(http, client, "/")).Status == 500 ? 1 : 0;
        }

        Assert.Equal(3, failures);
        await Eventually.Async("the failing endpoint ejected", async () => await OutlierOfAsync(client, badSidecar.InboundAddress) is { } o && o.GetProperty("ejected").GetBoolean());
        var first = (await OutlierOfAsync(client, badSidecar.InboundAddress))!.Value;
        Assert.Equal("3 consecutive 5xx (last: 500)", first.GetProperty("reason").GetString());
        Assert.Equal(TimeSpan.FromSeconds(3), EjectionLength(first));

        // While ejected, traffic goes to the others only.
        var whileEjected = new List<(int Status, string Body, string? Reason)>();
        for (var i = 0; i < 20; i++)
        {
            whileEjected.Add(await GetAsync(http, client, "/"));
        }

        var stillFirstEjection = (await OutlierOfAsync(client, badSidecar.InboundAddress))!.Value;
        Assert.True(stillFirstEjection.GetProperty("ejected").GetBoolean() && stillFirstEjection.GetProperty("totalEjections").GetInt32() == 1, "the burst outlasted the ejection; the check below would be meaningless");
        Assert.All(whileEjected, r => Assert.Equal(200, r.Status));
        Assert.Equal(["good1", "good2"], whileEjected.Select(r => r.Body.Split(' ')[0]).Distinct().Order());

        // Keep traffic flowing: after readmission the endpoint fails again and is ejected for 2 × 3 s.
        var failuresAfterReadmission = 0;
        await Eventually.Async("a second ejection", async () =>
        {
            for (var i = 0; i < 6; i++)
            {
                failuresAfterReadmission += (await GetAsync(http, client, "/")).Status == 500 ? 1 : 0;
            }

            return (await OutlierOfAsync(client, badSidecar.InboundAddress))!.Value.GetProperty("totalEjections").GetInt32() == 2;
        });

        var second = (await OutlierOfAsync(client, badSidecar.InboundAddress))!.Value;
        Assert.True(failuresAfterReadmission >= 3, $"readmitted endpoint served {failuresAfterReadmission} requests before the second ejection");
        Assert.Equal(2, second.GetProperty("ejectionCount").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(6), EjectionLength(second));
    }

    [Fact]
    public async Task Outlier_EveryEndpointEjected_Answers503UHThenPanicModeRoutesToAllAgain()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var bad1 = await StartFailingAppAsync("bad1", 503);
        await using var bad2 = await StartFailingAppAsync("bad2", 503);
        var sidecar1 = await mesh.StartSidecarAsync("reviews", bad1, labels: ["app=reviews"]);
        var sidecar2 = await mesh.StartSidecarAsync("reviews", bad2, labels: ["app=reviews"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 2);
        await mesh.ApplyAsync(OutlierRule(minHealthPercent: 0));
        await MeshHarness.WaitForConfigAsync(client, "reviews-all-out");
        using var http = NewClient();

        await Eventually.Async("both endpoints ejected", async () =>
        {
            await GetAsync(http, client, "/");
            return await OutlierOfAsync(client, sidecar1.InboundAddress) is { } a && a.GetProperty("ejected").GetBoolean()
                && await OutlierOfAsync(client, sidecar2.InboundAddress) is { } b && b.GetProperty("ejected").GetBoolean();
        });

        var none = await GetAsync(http, client, "/");
        Assert.Equal((503, "UH"), (none.Status, none.Reason));
        Assert.StartsWith($"no healthy endpoints for {ReviewsFqdn}:", none.Body, StringComparison.Ordinal);
        Assert.EndsWith(": 2 ejected by outlier detection", none.Body, StringComparison.Ordinal);

        // minHealthPercent 50: with 0 % healthy the cluster panics and uses every endpoint. The push keeps the
        // ejections (state outlives route tables), so the answer comes from an app, not from the mesh.
        await mesh.ApplyAsync(OutlierRule(minHealthPercent: 50));
        await Eventually.Async("minHealthPercent 50 applied", async () =>
            (await ClustersAsync(client)).Any(c => c.GetProperty("outlierDetection").GetProperty("minHealthPercent").GetInt32() == 50));
        var panic = await GetAsync(http, client, "/");
        Assert.True(await OutlierOfAsync(client, sidecar1.InboundAddress) is { } stillOut && stillOut.GetProperty("ejected").GetBoolean());
        Assert.Equal((503, null), (panic.Status, panic.Reason));
        Assert.StartsWith("bad", panic.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outlier_DefaultMaxEjectionPercent_EjectsOnlyOneOfThreeFailingEndpoints()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var sidecars = new List<Runtime.Sidecar.Hosting.RunningSidecar>();
        var apps = new List<Testing.TestServer>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                apps.Add(await StartFailingAppAsync("bad" + i));
                sidecars.Add(await mesh.StartSidecarAsync("reviews", apps[^1], labels: ["app=reviews"]));
            }

            var client = await mesh.StartSidecarAsync("productpage", null);
            await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 3);
            await mesh.ApplyAsync("""
                apiVersion: networking.istio.io/v1beta1
                kind: DestinationRule
                metadata:
                  name: reviews-default-percent
                spec:
                  host: reviews
                  trafficPolicy:
                    loadBalancer: { simple: ROUND_ROBIN }
                    outlierDetection:
                      consecutive5xxErrors: 2
                      baseEjectionTime: 60s
                """);
            await MeshHarness.WaitForConfigAsync(client, "reviews-default-percent");
            using var http = NewClient();

            // 30 round-robin requests: every endpoint fails far more than twice in a row.
            for (var i = 0; i < 30; i++)
            {
                Assert.Equal(500, (await GetAsync(http, client, "/")).Status);
            }

            var ejected = 0;
            foreach (var sidecar in sidecars)
            {
                ejected += await OutlierOfAsync(client, sidecar.InboundAddress) is { } o && o.GetProperty("ejected").GetBoolean() ? 1 : 0;
            }

            Assert.Equal(1, ejected);
        }
        finally
        {
            foreach (var app in apps)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static string OutlierRule(int minHealthPercent) => $$"""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: reviews-all-out
        spec:
          host: reviews
          trafficPolicy:
            outlierDetection:
              consecutiveGatewayErrors: 1
              baseEjectionTime: 60s
              maxEjectionPercent: 100
              minHealthPercent: {{minHealthPercent}}
        """;
}
