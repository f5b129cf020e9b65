using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Runtime.Cli.Tests.Testing;
using Runtime.Grpc;
using Runtime.Grpc.Client;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Tests.Commands;

public sealed class CaCommandsTests
{
    [Fact]
    public async Task TokenCreate_PrintsOnlyATokenThatObtainsThatIdentity()
    {
        await using var plane = await ControlPlane.StartAsync();

        var created = await plane.RunAsync("token", "create", "--namespace", "shop", "--service-account", "cart", "--ttl", "1h");

        Assert.Equal(0, created.ExitCode);
        var token = Assert.Single(created.OutputLines);
        Assert.StartsWith("mesh1.", token, StringComparison.Ordinal);
        Assert.Contains("namespace shop, service account cart", created.Error, StringComparison.Ordinal);
        using var client = new GrpcClient(new Uri(plane.Server));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=cart", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var issued = await client.UnaryAsync("/runtime.mesh.v1.CertificateService/Sign", new V1.CsrRequest { CsrDer = ByteString.CopyFrom(csr), Token = token }, V1.CsrResponse.Parser).WaitAsync(Meshctl.Timeout);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/cart", issued.SpiffeId);
        using var leaf = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.True(leaf.NotAfter.ToUniversalTime() > DateTime.UtcNow);
    }

    [Fact]
    public async Task TokenCreate_InvalidNamespace_FailsNamingIt()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunAsync("token", "create", "--namespace", "Shop!", "--service-account", "cart");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains("namespace 'Shop!'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenCreate_WithoutServiceAccount_IsAUsageError()
    {
        var result = await Meshctl.RunAsync("", null, "token", "create", "--namespace", "shop");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("mesh1.", result.Output, StringComparison.Ordinal);
        Assert.Contains("--service-account", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaStatus_AfterOneIssuedAndOneRefused_ShowsRootAndCounts()
    {
        await using var plane = await ControlPlane.StartAsync();
        var token = Assert.Single((await plane.RunAsync("token", "create", "-n", "shop", "--service-account", "cart")).OutputLines);
        using var client = new GrpcClient(new Uri(plane.Server));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var good = new CertificateRequest("CN=cart", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var otherRequest = new CertificateRequest("CN=cart", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("spiffe://cluster.local/ns/shop/sa/admin"));
        otherRequest.CertificateExtensions.Add(san.Build());
        await client.UnaryAsync("/runtime.mesh.v1.CertificateService/Sign", new V1.CsrRequest { CsrDer = ByteString.CopyFrom(good), Token = token }, V1.CsrResponse.Parser).WaitAsync(Meshctl.Timeout);
        var refused = await Assert.ThrowsAsync<GrpcException>(() => client.UnaryAsync("/runtime.mesh.v1.CertificateService/Sign", new V1.CsrRequest { CsrDer = ByteString.CopyFrom(otherRequest.CreateSigningRequest()), Token = token }, V1.CsrResponse.Parser).WaitAsync(Meshctl.Timeout));
        Assert.Equal(GrpcStatusCode.PermissionDenied, refused.Status);

        var status = await plane.RunAsync("ca", "status");

        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Mode:                 self-signed", status.OutputLines);
        Assert.Contains("Root subject:         O=cluster.local, CN=Runtime mesh root CA", status.OutputLines);
        Assert.Contains("Trust domain:         cluster.local", status.OutputLines);
        Assert.Contains("Trust domain aliases: <none>", status.OutputLines);
        Assert.Contains("Certificate TTL:      24h (max 2160h)", status.OutputLines);
        Assert.Contains("Issued:               1", status.OutputLines);
        Assert.Contains("Rejected:             1", status.OutputLines);
        Assert.Matches("^Root SHA-256: +[0-9a-f]{64}$", status.OutputLines.Single(l => l.StartsWith("Root SHA-256:", StringComparison.Ordinal)));
    }
}
