using Runtime.Grpc;
using Runtime.Grpc.Client;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Discovery;

/// <summary>Discovery end to end: a real control plane, fake sidecars subscribing over gRPC, config applied through the API.</summary>
public sealed class DistributionTests
{
    /// <summary>A VirtualService every sidecar in bookinfo receives; shared with the metrics tests.</summary>
    internal const string ReviewsRoute = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination:
                host: reviews
                subset: v2
        """;

    private static readonly V1.ResourceRef ReviewsRef = new() { Kind = "VirtualService", Namespace = "bookinfo", Name = "reviews" };

    [Fact]
    public async Task Register_InvalidIdentity_InvalidArgumentListsEveryProblem()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var identity = new V1.ProxyIdentity { Service = "", Namespace = "Bad_NS", Address = "10.0.0.1", InboundPort = 0 };

        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            f.Client.CallAsync("DiscoveryService/Register", new V1.RegisterRequest { Identity = identity }, V1.RegisterResponse.Parser));

        Assert.Equal(GrpcStatusCode.InvalidArgument, error.Status);
        Assert.Contains("3 problems", error.Message, StringComparison.Ordinal);
        Assert.Contains("identity.service is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("identity.namespace \"Bad_NS\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("identity.inbound_port 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_ReturnsIntervals_UnknownProxyCallsAreNotFoundSayingRegisterAgain()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var identity = new V1.ProxyIdentity { Service = "reviews", Namespace = "bookinfo", Address = "10.0.0.7", InboundPort = 15006 };

        var registered = await f.Client.CallAsync("DiscoveryService/Register", new V1.RegisterRequest { Identity = identity }, V1.RegisterResponse.Parser);
        var heartbeat = await Assert.ThrowsAsync<GrpcException>(() =>
            f.Client.CallAsync("DiscoveryService/Heartbeat", new V1.HeartbeatRequest { ProxyId = "ghost.bookinfo" }, V1.HeartbeatResponse.Parser));
        var ack = await Assert.ThrowsAsync<GrpcException>(() =>
            f.Client.CallAsync("DiscoveryService/Ack", new V1.AckRequest { ProxyId = "ghost.bookinfo", Version = "abc" }, V1.AckResponse.Parser));
        var subscribe = await Assert.ThrowsAsync<GrpcException>(async () =>
        {
            await foreach (var _ in f.Client.ServerStreamingAsync(
                "/runtime.mesh.v1.DiscoveryService/Subscribe", new V1.SubscribeRequest { ProxyId = "ghost.bookinfo" }, V1.ProxySnapshot.Parser,
                new GrpcCallOptions { Timeout = Timeouts.Default }))
            {
            }
        });

        Assert.Equal("reviews-10-0-0-7-15006.bookinfo", registered.ProxyId);
        Assert.Equal((5000L, 15000L), (registered.HeartbeatIntervalMs, registered.TtlMs));
        foreach (var error in new[] { heartbeat, ack, subscribe })
        {
            Assert.Equal(GrpcStatusCode.NotFound, error.Status);
            Assert.Contains("register again", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Restart_RegistrationsAreGone_HeartbeatNotFound_ReRegisterGetsSameId()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var before = await f.RegisterAsync("reviews", "bookinfo", "10.0.0.7", instance: "reviews-v1-1");
        await before.HeartbeatAsync();

        await f.RestartAsync();
        var error = await Assert.ThrowsAsync<GrpcException>(() =>
            f.Client.CallAsync("DiscoveryService/Heartbeat", new V1.HeartbeatRequest { ProxyId = before.ProxyId }, V1.HeartbeatResponse.Parser));
        var after = await f.RegisterAsync("reviews", "bookinfo", "10.0.0.7", instance: "reviews-v1-1");

        Assert.Equal(GrpcStatusCode.NotFound, error.Status);
        Assert.Equal("reviews-v1-1.bookinfo", after.ProxyId);
        Assert.Equal(before.ProxyId, after.ProxyId);
    }

    [Fact]
    public async Task Apply_VirtualService_ReachesBothSidecars_StatusAndAppliedCountsFollowTheAcks()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var (a, b) = await TwoSyncedSidecarsAsync(f);
        var synced = await f.ListProxiesAsync();
        Assert.All(synced.Proxies, p => Assert.Equal(V1.SyncState.Synced, p.State));

        await f.Client.ApplyAsync(ReviewsRoute);
        var atA = await a.WaitForAsync(s => HasResource(s, "reviews"), "the reviews VirtualService at a", ack: false);
        var atB = await b.WaitForAsync(s => HasResource(s, "reviews"), "the reviews VirtualService at b", ack: false);
        var pending = await f.ListProxiesAsync(ReviewsRef);
        await a.AckAsync(atA.Version);
        var half = await f.ListProxiesAsync(ReviewsRef);
        await b.AckAsync(atB.Version);
        var all = await f.ListProxiesAsync(ReviewsRef);

        Assert.Equal(atA.Version, atB.Version);
        Assert.All(pending.Proxies, p => Assert.Equal(V1.SyncState.Stale, p.State));
        Assert.Equal((0, 2), (pending.Applied[0].Applied, pending.Applied[0].Proxies));
        Assert.Equal((1, 2), (half.Applied[0].Applied, half.Applied[0].Proxies));
        Assert.Equal((2, 2), (all.Applied[0].Applied, all.Applied[0].Proxies));
        Assert.True(all.Applied[0].ResourceVersion > 0);
        Assert.All(all.Proxies, p =>
        {
            Assert.Equal(V1.SyncState.Synced, p.State);
            Assert.Equal(atA.Version, p.AckedVersion);
            Assert.Equal(p.LatestVersion, p.AckedVersion);
            Assert.True(p.Connected);
        });

        using var http = new HttpClient { BaseAddress = f.Silo.HttpAddress };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).Within("/metrics");
        Assert.Contains("silo_discovery_proxies_connected 2", metrics, StringComparison.Ordinal);
        Assert.Contains("silo_discovery_pushes_total", metrics, StringComparison.Ordinal);
        Assert.Contains("silo_discovery_convergence_duration_seconds_count", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nack_ListProxiesShowsNackedWithTheReasonAndKeepsTheAckedVersion()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var (a, _) = await TwoSyncedSidecarsAsync(f);
        var good = a.Last!.Version;

        await f.Client.ApplyAsync(ReviewsRoute);
        var rejected = await a.WaitForAsync(s => HasResource(s, "reviews"), "the reviews VirtualService", ack: false);
        await a.AckAsync(rejected.Version, "route reviews: subset v2 has no endpoints in this build");
        var listed = await f.ListProxiesAsync(ReviewsRef);

        var status = Assert.Single(listed.Proxies, p => p.ProxyId == a.ProxyId);
        Assert.Equal(V1.SyncState.Nacked, status.State);
        Assert.Equal("route reviews: subset v2 has no endpoints in this build", status.NackError);
        Assert.Equal(good, status.AckedVersion);
        Assert.Equal(rejected.Version, status.LatestVersion);
        Assert.Equal(0, listed.Applied[0].Applied);
    }

    [Fact]
    public async Task SlowSubscriber_DoesNotBlockOthers_AndLaterGetsTheLatestVersion()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var (fast, slow) = await TwoSyncedSidecarsAsync(f);
        var fastReceived = 0;

        // Each snapshot carries every route so far, ~8 KB each: the slow stream's flow-control window fills
        // after a few pushes and its writer blocks, while the fast sidecar must keep receiving every change.
        const int Changes = 20;
        for (var i = 0; i < Changes; i++)
        {
            await f.Client.ApplyAsync(PaddedRoute($"r{i}"));
            var name = $"r{i}";
            await fast.WaitForAsync(s => { fastReceived++; return HasResource(s, name); }, $"route {name} at the fast sidecar");
        }

        var slowReceived = 0;
        var latest = await slow.WaitForAsync(s => { slowReceived++; return HasResource(s, $"r{Changes - 1}"); }, "the last route at the slow sidecar");

        Assert.Equal(fast.Last!.Version, latest.Version);
        Assert.True(slowReceived < fastReceived, $"the slow sidecar read {slowReceived} snapshots, the fast one {fastReceived}: intermediate versions should be skipped");
    }

    [Fact]
    public async Task Deregister_RemovesTheEndpointFromTheOtherProxysNextSnapshot_AndEndsItsStream()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var (a, b) = await TwoSyncedSidecarsAsync(f);

        await b.DeregisterAsync();
        await a.WaitForAsync(s => !HasEndpoint(s, b.ProxyId), "b's endpoint to disappear");
        var listed = await f.ListProxiesAsync();

        Assert.True(await b.StreamEndedAsync());
        Assert.Equal([a.ProxyId], listed.Proxies.Select(p => p.ProxyId));
    }

    [Fact]
    public async Task TtlExpiry_SilentUnsubscribedProxy_IsRemovedFromOthersSnapshots()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var a = await f.RegisterAsync("productpage", "bookinfo", "10.0.0.1");
        var silent = await f.RegisterAsync("ratings", "bookinfo", "10.0.0.3");
        a.Subscribe();
        await a.WaitForAsync(s => HasEndpoint(s, silent.ProxyId), "the silent proxy's endpoint");
        var before = await f.ListProxiesAsync();

        f.Time.Advance(TimeSpan.FromSeconds(16));
        await a.WaitForAsync(s => !HasEndpoint(s, silent.ProxyId), "the expired endpoint to disappear");
        var after = await f.ListProxiesAsync();

        Assert.Equal(V1.SyncState.Disconnected, before.Proxies.Single(p => p.ProxyId == silent.ProxyId).State);
        Assert.Equal([a.ProxyId], after.Proxies.Select(p => p.ProxyId));
        var error = await Assert.ThrowsAsync<GrpcException>(silent.HeartbeatAsync);
        Assert.Equal(GrpcStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task GetProxySnapshot_ByIdInstanceOrServiceNamespace()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        await f.Client.ApplyAsync(ReviewsRoute);
        var product = await f.RegisterAsync("productpage", "bookinfo", "10.0.0.1");
        await f.RegisterAsync("reviews", "bookinfo", "10.0.1.1", instance: "reviews-v1");
        await f.RegisterAsync("reviews", "bookinfo", "10.0.1.2", instance: "reviews-v2");

        var byService = await GetSnapshotAsync(f, "productpage.bookinfo");
        var byInstance = await GetSnapshotAsync(f, "reviews-v2");
        var ambiguous = await Assert.ThrowsAsync<GrpcException>(() => GetSnapshotAsync(f, "reviews.bookinfo"));
        var missing = await Assert.ThrowsAsync<GrpcException>(() => GetSnapshotAsync(f, "details.bookinfo"));

        Assert.Equal(product.ProxyId, byService.ProxyId);
        Assert.True(HasResource(byService, "reviews"));
        Assert.Equal("reviews-v2.bookinfo", byInstance.ProxyId);
        Assert.Equal(GrpcStatusCode.InvalidArgument, ambiguous.Status);
        Assert.Contains("reviews-v1.bookinfo", ambiguous.Message, StringComparison.Ordinal);
        Assert.Equal(GrpcStatusCode.NotFound, missing.Status);
    }

    /// <summary>Two sidecars in bookinfo, subscribed, each having ACKed a snapshot that lists both endpoints.</summary>
    /// <summary>productpage (a) and reviews v2 (b) in bookinfo, subscribed, each having ACKed both endpoints.</summary>
    internal static async Task<(FakeSidecar A, FakeSidecar B)> TwoSyncedSidecarsAsync(DiscoveryFixture f)
    {
        var a = await f.RegisterAsync("productpage", "bookinfo", "10.0.0.1", labels: new() { ["app"] = "productpage" });
        var b = await f.RegisterAsync("reviews", "bookinfo", "10.0.0.2", labels: new() { ["app"] = "reviews", ["version"] = "v2" });
        a.Subscribe();
        b.Subscribe();
        await a.WaitForAsync(s => HasEndpoint(s, a.ProxyId) && HasEndpoint(s, b.ProxyId), "both endpoints at a");
        await b.WaitForAsync(s => HasEndpoint(s, a.ProxyId) && HasEndpoint(s, b.ProxyId), "both endpoints at b");
        return (a, b);
    }

    private static Task<V1.ProxySnapshot> GetSnapshotAsync(DiscoveryFixture f, string proxy) =>
        f.Client.CallAsync("DiscoveryService/GetProxySnapshot", new V1.GetProxySnapshotRequest { Proxy = proxy }, V1.ProxySnapshot.Parser);

    private static bool HasEndpoint(V1.ProxySnapshot snapshot, string proxyId) =>
        snapshot.Services.SelectMany(s => s.Endpoints).Any(e => e.ProxyId == proxyId);

    private static bool HasResource(V1.ProxySnapshot snapshot, string name) =>
        snapshot.Resources.Any(r => r.Kind == "VirtualService" && r.Metadata.Name == name);

    private static string PaddedRoute(string name) => $"""
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: {name}
          namespace: bookinfo
          annotations:
            padding: "{new string('x', 8000)}"
        spec:
          hosts: [{name}]
          http:
          - route:
            - destination:
                host: {name}
        """;
}
