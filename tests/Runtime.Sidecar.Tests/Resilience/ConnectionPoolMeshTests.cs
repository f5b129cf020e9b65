using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using static Runtime.Sidecar.Tests.Resilience.OutlierMeshFixture;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// Connection-pool limits end to end: requests held open in the app with a gate fill the pool, and the next one
/// is answered 503 UO by the client sidecar while the held ones are still held (nothing queues behind them).
/// </summary>
public sealed class ConnectionPoolMeshTests
{
    [Fact]
    public async Task Pool_Http2MaxRequestsInFlight_NextAnswered503UOAtOnce()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var app = new HoldingApp();
        await using var server = await app.StartAsync();
        await mesh.StartSidecarAsync("reviews", server, labels: ["app=reviews"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 1);
        await mesh.ApplyAsync(PoolRule("reviews-max-requests", "http: { http2MaxRequests: 2 }"));
        await MeshHarness.WaitForConfigAsync(client, "reviews-max-requests");
        using var http = NewClient();

        var held = new[] { GetAsync(http, client, "/hold"), GetAsync(http, client, "/hold") };
        await app.WaitForArrivalsAsync(2);
        var overflow = await GetAsync(http, client, "/fast");

        Assert.All(held, h => Assert.False(h.IsCompleted));
        Assert.Equal((503, "UO"), (overflow.Status, overflow.Reason));
        Assert.Equal($"connection pool overflow for {ReviewsFqdn}:80: 2 requests in flight, http2MaxRequests 2", overflow.Body);
        app.Release.Open();
        Assert.All(await Task.WhenAll(held).Within(), r => Assert.Equal((200, "held /hold"), (r.Status, r.Body)));
        Assert.Equal(200, (await GetAsync(http, client, "/fast")).Status);
        var cluster = Assert.Single(await ClustersAsync(client));
        Assert.Equal(1, cluster.GetProperty("overflows").GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Pool_MaxConnectionsBusyAndPendingFull_OneConnectionUsedAndNextAnswered503UO()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var app = new HoldingApp();
        await using var server = await app.StartAsync();
        await mesh.StartSidecarAsync("reviews", server, labels: ["app=reviews"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 1);
        await mesh.ApplyAsync(PoolRule("reviews-max-connections", "tcp: { maxConnections: 1 }\n      http: { http1MaxPendingRequests: 1 }"));
        await MeshHarness.WaitForConfigAsync(client, "reviews-max-connections");
        using var http = NewClient();

        var onConnection = GetAsync(http, client, "/hold");
        await app.WaitForArrivalsAsync(1);
        var waiting = GetAsync(http, client, "/hold");
        await Eventually.Async("one request waiting for the connection", async () => (await ClustersAsync(client)).Single().GetProperty("pendingRequests").GetInt32() == 1);
        var overflow = await GetAsync(http, client, "/fast");

        Assert.False(onConnection.IsCompleted || waiting.IsCompleted);
        Assert.Equal(1, app.Arrivals);
        Assert.Equal((503, "UO"), (overflow.Status, overflow.Reason));
        Assert.Contains("1 requests waiting for a connection, http1MaxPendingRequests 1 (maxConnections 1 busy on", overflow.Body, StringComparison.Ordinal);

        app.Release.Open();
        Assert.All(await Task.WhenAll(onConnection, waiting).Within(), r => Assert.Equal(200, r.Status));
        // maxConnections 1: the waiting request reached the app only after the first one finished.
        Assert.Equal(1, app.MaxConcurrent);
        Assert.Equal(1, (await ClustersAsync(client)).Single().GetProperty("overflows").GetProperty("pending").GetInt64());
    }

    [Fact]
    public async Task Pool_H2UpgradePolicyUpgrade_Http1CallerReachesH2cOnlyUpstream()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var h2Only = await TestServer.StartAsync(context => context.Response.WriteAsync(context.Request.Protocol), HttpProtocols.Http2);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await mesh.ApplyAsync($$"""
            apiVersion: networking.istio.io/v1beta1
            kind: ServiceEntry
            metadata:
              name: h2-upstream
            spec:
              hosts: [h2.example.internal]
              ports:
              - { number: 80, name: http, protocol: HTTP }
              resolution: STATIC
              endpoints:
              - address: 127.0.0.1
                ports: { http: {{h2Only.Address.Port}} }
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: h2-upgrade
            spec:
              host: h2.example.internal
              trafficPolicy:
                connectionPool:
                  http: { h2UpgradePolicy: UPGRADE }
            """);
        await MeshHarness.WaitForConfigAsync(client, "h2-upgrade");
        using var http = NewClient();

        var response = await GetAsync(http, client, "/", host: "h2.example.internal");

        Assert.Equal((200, "HTTP/2"), (response.Status, response.Body));
    }

    [Fact]
    public async Task Pool_H2UpgradePolicyUpgradeThroughPeerSidecar_Http1AppStillGetsHttp1()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var app = await TestServer.StartAsync(context => context.Response.WriteAsync($"{context.Request.Protocol} {context.Request.Headers.ContainsKey("x-mesh-upgraded-from-http1")}"));
        await mesh.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 1);
        await mesh.ApplyAsync(PoolRule("reviews-upgrade", "http: { h2UpgradePolicy: UPGRADE }"));
        await MeshHarness.WaitForConfigAsync(client, "reviews-upgrade");
        using var http = NewClient();

        var response = await GetAsync(http, client, "/");

        Assert.Equal((200, "HTTP/1.1 False"), (response.Status, response.Body));
    }

    [Fact]
    public async Task Pool_H2UpgradePolicyUpgradeWithHttp2Caller_H2cOnlyAppStillGetsHttp2()
    {
        await using var mesh = await MeshHarness.StartAsync();
        await using var app = await TestServer.StartAsync(context => context.Response.WriteAsync(context.Request.Protocol), HttpProtocols.Http2);
        await mesh.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        var client = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(client, ReviewsFqdn, 1);
        await mesh.ApplyAsync(PoolRule("reviews-upgrade-h2", "http: { h2UpgradePolicy: UPGRADE }"));
        await MeshHarness.WaitForConfigAsync(client, "reviews-upgrade-h2");
        using var http = NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.OutboundAddress, "/"))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Host = "reviews";

        using var response = await http.SendAsync(request).Within();

        Assert.Equal("HTTP/2", await response.Content.ReadAsStringAsync());
    }

    private static string PoolRule(string name, string pool) => $$"""
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: {{name}}
        spec:
          host: reviews
          trafficPolicy:
            connectionPool:
              {{pool}}
        """;

    /// <summary>An app that holds <c>/hold</c> requests until <see cref="Release"/> opens and counts concurrency.</summary>
    private sealed class HoldingApp
    {
        private int _arrivals;
        private int _concurrent;
        private int _maxConcurrent;

        public Gate Release { get; } = new();

        public int Arrivals => Volatile.Read(ref _arrivals);

        public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

        public Task<TestServer> StartAsync() => TestServer.StartAsync(async context =>
        {
            if (context.Request.Path == "/hold")
            {
                var now = Interlocked.Increment(ref _concurrent);
                InterlockedMax(ref _maxConcurrent, now);
                Interlocked.Increment(ref _arrivals);
                try
                {
                    await Release.WaitAsync(context.RequestAborted);
                }
                finally
                {
                    Interlocked.Decrement(ref _concurrent);
                }

                await context.Response.WriteAsync("held /hold");
                return;
            }

            await context.Response.WriteAsync("fast " + context.Request.Path);
        });

        public Task WaitForArrivalsAsync(int count) =>
            Eventually.Async($"{count} held requests at the app", () => Task.FromResult(Arrivals >= count));

        private static void InterlockedMax(ref int target, int value)
        {
            var current = Volatile.Read(ref target);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref target, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
