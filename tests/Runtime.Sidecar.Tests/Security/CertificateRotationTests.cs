using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Silo.Hosting;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>The sidecar's certificate rotation against a real control plane over gRPC.</summary>
public sealed class CertificateRotationTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("cert-rotation-").FullName;
    private RunningSilo _silo = null!;

    public async Task InitializeAsync()
    {
        var options = new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = Path.Combine(_root, "silo"), LogLevel = LogLevel.Warning };
        _silo = await SiloHost.StartAsync(options, CancellationToken.None).Within();
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Start_WithToken_ObtainsCertificateThenRenewsAtHalfLifetimeWithCurrentCertificate()
    {
        var clock = new SteppedClock(DateTimeOffset.UtcNow);
        var token = await CreateTokenAsync("shop", "cart");
        await using var rotation = new CertificateRotation(new CaClient([_silo.GrpcAddress], TestTimeouts.Default), () => token, clock, NullLogger<CertificateRotation>.Instance, new Random(7));
        var firstIssued = rotation.NextIssued;

        rotation.Start();
        var first = await firstIssued.Within();

        Assert.Same(first, rotation.Current);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/cart", first.SpiffeId);
        Assert.True(first.Leaf.HasPrivateKey);
        Assert.Empty(first.Chain);
        Assert.Single(rotation.TrustBundle);
        Assert.Equal(["cluster.local"], rotation.TrustDomains);

        // Renewal is due between 45% and 55% of the 24h lifetime; the token is gone by then, so only the current
        // certificate can prove the identity.
        token = null;
        await clock.WaitForTimersAsync(1).Within();
        var renewedSignal = rotation.NextIssued;
        Assert.False(renewedSignal.IsCompleted);
        clock.Advance(TimeSpan.FromHours(13.5));
        var renewed = await renewedSignal.Within();

        Assert.Same(renewed, rotation.Current);
        Assert.Equal(first.SpiffeId, renewed.SpiffeId);
        Assert.NotEqual(first.Leaf.Thumbprint, renewed.Leaf.Thumbprint);
        using var firstKey = first.Leaf.GetECDsaPublicKey()!;
        using var renewedKey = renewed.Leaf.GetECDsaPublicKey()!;
        Assert.NotEqual(firstKey.ExportSubjectPublicKeyInfo(), renewedKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task Renewal_CaUnreachable_KeepsCurrentCertificateAndRetries()
    {
        var clock = new SteppedClock(DateTimeOffset.UtcNow);
        var token = await CreateTokenAsync("shop", "cart");
        await using var rotation = new CertificateRotation(new CaClient([_silo.GrpcAddress], TestTimeouts.Default), () => token, clock, NullLogger<CertificateRotation>.Instance, new Random(7));
        var firstIssued = rotation.NextIssued;
        rotation.Start();
        var first = await firstIssued.Within();
        await clock.WaitForTimersAsync(1).Within();

        await _silo.DisposeAsync();
        clock.Advance(TimeSpan.FromHours(13.5));
        await clock.WaitForTimersAsync(2).Within();
        clock.Advance(TimeSpan.FromSeconds(10));
        await clock.WaitForTimersAsync(3).Within();

        Assert.Same(first, rotation.Current);
        Assert.False(rotation.NextIssued.IsCompleted);
        Assert.Single(rotation.TrustBundle);
    }

    [Fact]
    public async Task Start_WithoutToken_RunsWithoutCertificateAndLogsOnce()
    {
        using var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var clock = new SteppedClock(DateTimeOffset.UtcNow);
        var rotation = new CertificateRotation(new CaClient([_silo.GrpcAddress], TestTimeouts.Default), () => null, clock, factory.CreateLogger<CertificateRotation>());

        rotation.Start();
        await rotation.DisposeAsync().Within();

        Assert.Null(rotation.Current);
        Assert.Empty(rotation.TrustBundle);
        Assert.Single(logs.Entries, e => e.Message.Contains("No bootstrap token", StringComparison.Ordinal));
    }

    [Fact]
    public void ReadToken_EnvironmentThenFile_TrimmedAndNullWhenEmpty()
    {
        var file = Path.Combine(_root, "token");
        File.WriteAllText(file, "  mesh1.abc.def\n");
        var fromFile = new SidecarOptions { TokenFile = file };
        var fromEnvironment = new SidecarOptions { TokenFile = file, Token = "mesh1.env.token" };
        File.WriteAllText(Path.Combine(_root, "empty"), "\n");

        Assert.Equal("mesh1.abc.def", CertificateServiceCollectionExtensions.ReadToken(fromFile));
        Assert.Equal("mesh1.env.token", CertificateServiceCollectionExtensions.ReadToken(fromEnvironment));
        Assert.Null(CertificateServiceCollectionExtensions.ReadToken(new SidecarOptions { TokenFile = Path.Combine(_root, "empty") }));
        Assert.Null(CertificateServiceCollectionExtensions.ReadToken(new SidecarOptions()));
    }

    [Fact]
    public void Parse_TokenFileFlagAndMissingFile_ReportedByValidate()
    {
        var parsed = SidecarCommandLine.Flags.Parse(["--service", "cart", "--token-file", Path.Combine(_root, "absent")], new Dictionary<string, string?>());

        var problems = SidecarCommandLine.Validate(parsed.Options);

        Assert.Empty(parsed.Errors);
        Assert.Contains(problems, p => p.StartsWith("--token-file (MESH_TOKEN_FILE)", StringComparison.Ordinal) && p.Contains("meshctl token create", StringComparison.Ordinal));
    }

    [Fact]
    public void RenewalTime_IsBetween45And55PercentOfLifetime()
    {
        var issued = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(issued.AddHours(24 * 0.45), CertificateRotation.RenewalTime(issued, issued.AddHours(24), 0));
        Assert.Equal(issued.AddHours(24 * 0.55), CertificateRotation.RenewalTime(issued, issued.AddHours(24), 1));
    }

    [Fact]
    public async Task SidecarHost_WithTokenFile_ServesItsWorkloadCertificate()
    {
        var tokenFile = Path.Combine(_root, "cart.token");
        await File.WriteAllTextAsync(tokenFile, await CreateTokenAsync("shop", "cart") + "\n");
        var options = new SidecarOptions
        {
            Service = "cart", Namespace = "shop", ServiceAccount = "cart", InboundPort = 0, OutboundPort = 0, AdminPort = 0,
            DataDir = Path.Combine(_root, "sidecar"), TokenFile = tokenFile, LogLevel = LogLevel.Warning,
        };
        options.ControlPlanes.Add(_silo.GrpcAddress);

        await using var sidecar = await SidecarHost.StartAsync(options, CancellationToken.None).Within();
        var rotation = (CertificateRotation)sidecar.Services.GetService(typeof(IWorkloadCertificateSource))!;
        var issued = rotation.NextIssued;
        var certificate = rotation.Current ?? await issued.Within();

        Assert.Equal("spiffe://cluster.local/ns/shop/sa/cart", certificate.SpiffeId);
        Assert.True(certificate.NotAfter > DateTimeOffset.UtcNow.AddHours(23));
    }

    private async Task<string> CreateTokenAsync(string @namespace, string serviceAccount)
    {
        using var client = new GrpcClient(_silo.GrpcAddress);
        var reply = await client.UnaryAsync("/runtime.mesh.v1.CertificateService/CreateToken", new V1.CreateTokenRequest { Namespace = @namespace, ServiceAccount = serviceAccount }, V1.CreateTokenResponse.Parser).Within();
        return reply.Token;
    }
}
