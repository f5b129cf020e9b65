using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Discovery;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Silo.Hosting;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// The sidecar's side of a root rotation against a real control plane: the trust bundle with the highest generation
/// wins, whichever source brought it, and a signer switch makes the sidecar renew within seconds.
/// </summary>
public sealed class CertificateRotationTrustTests : IAsyncLifetime
{
    private const string Ca = "/runtime.mesh.v1.CertificateService/";
    private readonly string _root = Directory.CreateTempSubdirectory("cert-trust-").FullName;
    private RunningSilo _silo = null!;

    public async Task InitializeAsync()
    {
        var options = new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = Path.Combine(_root, "silo"), LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning };
        _silo = await SiloHost.StartAsync(options, CancellationToken.None).Within();
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task ApplyTrust_PrepareThenSwitch_TakesNewerBundlesIgnoresOlderAndRenewsOntoTheNewRootEarly()
    {
        var clock = new SteppedClock(DateTimeOffset.UtcNow);
        using var api = new GrpcClient(_silo.GrpcAddress);
        var token = (await api.UnaryAsync(Ca + "CreateToken", new V1.CreateTokenRequest { Namespace = "shop", ServiceAccount = "cart" }, V1.CreateTokenResponse.Parser).Within()).Token;
        await using var rotation = new CertificateRotation(new CaClient([_silo.GrpcAddress], TestTimeouts.Default), () => token, clock, NullLogger<CertificateRotation>.Instance, new Random(7));
        var firstIssued = rotation.NextIssued;
        rotation.Start();
        var first = await firstIssued.Within();
        await clock.WaitForTimersAsync(1).Within();
        var oldRoot = rotation.Held!.RootSha256;
        Assert.Equal(1, rotation.TrustGeneration);
        var proxyId = (await api.UnaryAsync("/runtime.mesh.v1.DiscoveryService/Register", new V1.RegisterRequest { Identity = new V1.ProxyIdentity { Service = "cart", Namespace = "shop", Address = "127.0.0.1", InboundPort = 15006 } }, V1.RegisterResponse.Parser).Within()).ProxyId;
        var stable = await TrustAsync(proxyId, 1);
        Assert.Equal(oldRoot, stable.SigningRootSha256);

        await RotateAsync(V1.RootRotationStep.Prepare);
        var prepared = await TrustAsync(proxyId, 2);
        Assert.Null(rotation.ApplyTrust(prepared));

        // Both roots trusted, the old one still signs: nothing to renew.
        Assert.Equal(2, rotation.TrustGeneration);
        Assert.Equal(2, rotation.TrustBundle.Count);
        Assert.Same(first, rotation.Current);
        Assert.Null(rotation.ApplyTrust(stable));
        Assert.Equal(2, rotation.TrustGeneration);
        Assert.Equal(2, rotation.TrustBundle.Count);

        await RotateAsync(V1.RootRotationStep.Switch);
        var switched = await TrustAsync(proxyId, 3);
        Assert.NotEqual(oldRoot, switched.SigningRootSha256);
        var renewedSignal = rotation.NextIssued;
        Assert.Null(rotation.ApplyTrust(switched));

        // The early renewal is a few seconds away, not at half the 24h lifetime.
        await clock.WaitForTimersAsync(2).Within();
        Assert.False(renewedSignal.IsCompleted);
        clock.Advance(CertificateRotation.EarlyRenewalDelay(1));
        var renewed = await renewedSignal.Within();

        Assert.Equal(first.SpiffeId, renewed.SpiffeId);
        Assert.Equal(switched.SigningRootSha256, rotation.Held!.RootSha256);
        Assert.Equal(3, rotation.TrustGeneration);
        Assert.Null(rotation.ApplyTrust(prepared));
        Assert.Equal(3, rotation.TrustGeneration);

        await RotateAsync(V1.RootRotationStep.Finish);
        Assert.Null(rotation.ApplyTrust(await TrustAsync(proxyId, 4)));
        Assert.Single(rotation.TrustBundle);
        Assert.Equal(switched.SigningRootSha256, CaStateSha256(rotation.TrustBundle[0]));
    }

    [Fact]
    public void ApplyTrust_UnreadableRoots_KeepsTheBundleInUseAndSaysWhy()
    {
        var rotation = new CertificateRotation(new CaClient([_silo.GrpcAddress], TestTimeouts.Default), () => null, TimeProvider.System, NullLogger<CertificateRotation>.Instance);

        var problem = rotation.ApplyTrust(new MeshTrustBundle("not a certificate", ["cluster.local"], 5, "abcd"));

        Assert.Contains("generation 5 has no root", problem, StringComparison.Ordinal);
        Assert.Equal(0, rotation.TrustGeneration);
        Assert.Empty(rotation.TrustBundle);
    }

    private static string CaStateSha256(System.Security.Cryptography.X509Certificates.X509Certificate2 root) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(root.RawData));

    private async Task<V1.CaStatus> RotateAsync(V1.RootRotationStep step)
    {
        using var api = new GrpcClient(_silo.GrpcAddress);
        return await api.UnaryAsync(Ca + "RotateRoot", new V1.RotateRootRequest { Step = step }, V1.CaStatus.Parser).Within();
    }

    /// <summary>The trust bundle the control plane pushes to <paramref name="proxyId"/>, once it reached <paramref name="generation"/>.</summary>
    private async Task<MeshTrustBundle> TrustAsync(string proxyId, long generation)
    {
        MeshTrustBundle? trust = null;
        using var api = new GrpcClient(_silo.GrpcAddress);
        await Eventually.Async($"a snapshot with trust bundle generation {generation}", async () =>
        {
            var snapshot = await api.UnaryAsync("/runtime.mesh.v1.DiscoveryService/GetProxySnapshot", new V1.GetProxySnapshotRequest { Proxy = proxyId }, V1.ProxySnapshot.Parser).Within();
            trust = DiscoveryMessages.FromMessage(snapshot).Trust;
            return trust?.Generation == generation;
        });
        return trust!;
    }
}
