using Google.Protobuf.WellKnownTypes;
using Runtime.Grpc;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Discovery;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Ca;

/// <summary>RotateRoot's gates through a real silo: a connected proxy's heartbeat reports decide SWITCH and FINISH.</summary>
public sealed class CertificateApiRotationTests
{
    private const string Service = "/runtime.mesh.v1.CertificateService/";

    [Fact]
    public async Task RotateRoot_ConnectedProxyBehind_RefusesSwitchAndFinishNamingItUntilItReportsOrForced()
    {
        await using var api = await ApiFixture.StartAsync();
        using var cart = await FakeSidecar.RegisterAsync(api.Silo.GrpcAddress, "cart", "shop", "10.0.0.7", "cart-1", null);
        cart.Subscribe();
        var first = await cart.NextAsync("the first snapshot");
        Assert.Equal(1, first.Trust.Generation);
        var oldRoot = first.Trust.SigningRootSha256;
        await HeartbeatAsync(api, cart.ProxyId, oldRoot, 1);

        var prepared = await RotateAsync(api, V1.RootRotationStep.Prepare);
        Assert.Equal(2, (await cart.WaitForAsync(s => s.Trust.Generation == 2, "the PREPARED bundle")).Trust.Generation);
        Assert.Equal((1, 0, 1), (prepared.Progress.Proxies, prepared.Progress.TrustingCurrentBundle, prepared.Progress.SignedBySigningRoot));
        Assert.Equal(cart.ProxyId, Assert.Single(prepared.Progress.Lagging).ProxyId);

        var switchRefused = await Assert.ThrowsAsync<GrpcException>(() => RotateAsync(api, V1.RootRotationStep.Switch));
        Assert.Equal(GrpcStatusCode.FailedPrecondition, switchRefused.Status);
        Assert.Contains("1 of 1 connected proxies do not yet trust the bundle of generation 2", switchRefused.Message, StringComparison.Ordinal);
        Assert.Contains(cart.ProxyId, switchRefused.Message, StringComparison.Ordinal);

        await HeartbeatAsync(api, cart.ProxyId, oldRoot, 2);
        var switched = await RotateAsync(api, V1.RootRotationStep.Switch);
        Assert.Equal(V1.RootRotationPhase.Switched, switched.RotationPhase);
        Assert.Equal(switched.RootSha256, (await cart.WaitForAsync(s => s.Trust.Generation == 3, "the SWITCHED bundle")).Trust.SigningRootSha256);
        await HeartbeatAsync(api, cart.ProxyId, oldRoot, 3);

        var finishRefused = await Assert.ThrowsAsync<GrpcException>(() => RotateAsync(api, V1.RootRotationStep.Finish));
        Assert.Equal(GrpcStatusCode.FailedPrecondition, finishRefused.Status);
        Assert.Contains("do not yet hold a leaf of the new root", finishRefused.Message, StringComparison.Ordinal);
        Assert.Contains(cart.ProxyId, finishRefused.Message, StringComparison.Ordinal);
        var listed = await api.Client.UnaryAsync("/runtime.mesh.v1.DiscoveryService/ListProxies", new V1.ListProxiesRequest(), V1.ListProxiesResponse.Parser).Within("ListProxies");
        Assert.Equal((oldRoot, 3L), (Assert.Single(listed.Proxies).Certificate.RootSha256, listed.Proxies[0].Certificate.TrustBundleGeneration));

        var forced = await api.Client.UnaryAsync(Service + "RotateRoot", new V1.RotateRootRequest { Step = V1.RootRotationStep.Finish, Force = true }, V1.CaStatus.Parser).Within("RotateRoot FINISH --force");
        Assert.Equal((V1.RootRotationPhase.Stable, 4L), (forced.RotationPhase, forced.Generation));
        Assert.Equal(switched.RootSha256, Assert.Single(forced.TrustBundle, r => r.Signing).Sha256);
        Assert.Single(forced.TrustBundle);
    }

    [Fact]
    public async Task RotateRoot_NoStep_IsInvalidArgument()
    {
        await using var api = await ApiFixture.StartAsync();

        var refused = await Assert.ThrowsAsync<GrpcException>(() => RotateAsync(api, V1.RootRotationStep.Unspecified));

        Assert.Equal(GrpcStatusCode.InvalidArgument, refused.Status);
        Assert.Contains("use PREPARE, SWITCH or FINISH", refused.Message, StringComparison.Ordinal);
    }

    private static Task<V1.CaStatus> RotateAsync(ApiFixture api, V1.RootRotationStep step) =>
        api.Client.UnaryAsync(Service + "RotateRoot", new V1.RotateRootRequest { Step = step }, V1.CaStatus.Parser).Within($"RotateRoot {step}");

    private static Task<V1.HeartbeatResponse> HeartbeatAsync(ApiFixture api, string proxyId, string root, long generation) =>
        api.Client.UnaryAsync(
            "/runtime.mesh.v1.DiscoveryService/Heartbeat",
            new V1.HeartbeatRequest
            {
                ProxyId = proxyId,
                Certificate = new V1.CertificateReport
                {
                    SpiffeId = "spiffe://cluster.local/ns/shop/sa/cart",
                    NotAfter = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(24)),
                    RootSha256 = root,
                    TrustBundleGeneration = generation,
                },
            },
            V1.HeartbeatResponse.Parser).Within("Heartbeat");
}
