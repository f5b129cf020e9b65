using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Runtime.Grpc;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Ca;

/// <summary>The CA through a real silo's gRPC port.</summary>
public sealed class CertificateApiTests
{
    private const string Service = "/runtime.mesh.v1.CertificateService/";

    [Fact]
    public async Task Sign_TokenThenRenewal_IssuesAndRenewsOverGrpc()
    {
        await using var api = await ApiFixture.StartAsync();
        var token = await api.Client.UnaryAsync(Service + "CreateToken", new V1.CreateTokenRequest { Namespace = "shop", ServiceAccount = "cart" }, V1.CreateTokenResponse.Parser).Within("CreateToken");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = CaTestKit.Csr(key);

        var issued = await api.Client.UnaryAsync(Service + "Sign", new V1.CsrRequest { CsrDer = ByteString.CopyFrom(csr), Token = token.Token }, V1.CsrResponse.Parser).Within("Sign");

        Assert.Equal("spiffe://cluster.local/ns/shop/sa/cart", issued.SpiffeId);
        Assert.Equal(["cluster.local"], issued.TrustDomains);
        using var leaf = X509Certificate2.CreateFromPem(issued.CertificatePem);
        var renewalCsr = CaTestKit.Csr(key);
        var renewal = new V1.RenewalProof { Signature = ByteString.CopyFrom(key.SignData(renewalCsr, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)) };
        renewal.CertificateChainDer.Add(ByteString.CopyFrom(leaf.RawData));
        var renewed = await api.Client.UnaryAsync(Service + "Sign", new V1.CsrRequest { CsrDer = ByteString.CopyFrom(renewalCsr), Renewal = renewal }, V1.CsrResponse.Parser).Within("Sign (renewal)");
        Assert.Equal(issued.SpiffeId, renewed.SpiffeId);

        var status = await api.Client.UnaryAsync(Service + "GetStatus", new V1.GetCaStatusRequest(), V1.CaStatus.Parser).Within("GetStatus");
        Assert.Equal(2, status.Issued);
        Assert.Equal("self-signed", status.Mode);
        Assert.Equal(24 * 3600, status.DefaultTtlSeconds);
    }

    [Fact]
    public async Task Sign_CsrForAnotherServiceAccount_IsPermissionDenied()
    {
        await using var api = await ApiFixture.StartAsync();
        var token = await api.Client.UnaryAsync(Service + "CreateToken", new V1.CreateTokenRequest { Namespace = "shop", ServiceAccount = "cart" }, V1.CreateTokenResponse.Parser).Within("CreateToken");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = CaTestKit.Csr(key, uri: "spiffe://cluster.local/ns/shop/sa/payments");

        var failure = await Assert.ThrowsAsync<GrpcException>(() =>
            api.Client.UnaryAsync(Service + "Sign", new V1.CsrRequest { CsrDer = ByteString.CopyFrom(csr), Token = token.Token }, V1.CsrResponse.Parser).Within("Sign"));

        Assert.Equal(GrpcStatusCode.PermissionDenied, failure.Status);
        var status = await api.Client.UnaryAsync(Service + "GetStatus", new V1.GetCaStatusRequest(), V1.CaStatus.Parser).Within("GetStatus");
        Assert.Equal(1, status.Rejected);
    }

    [Fact]
    public async Task Sign_WithoutProof_IsUnauthenticated()
    {
        await using var api = await ApiFixture.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var failure = await Assert.ThrowsAsync<GrpcException>(() =>
            api.Client.UnaryAsync(Service + "Sign", new V1.CsrRequest { CsrDer = ByteString.CopyFrom(CaTestKit.Csr(key)) }, V1.CsrResponse.Parser).Within("Sign"));

        Assert.Equal(GrpcStatusCode.Unauthenticated, failure.Status);
    }

    [Fact]
    public async Task Restart_KeepsRootAndTokenKey()
    {
        await using var api = await ApiFixture.StartAsync();
        var before = await api.Client.UnaryAsync(Service + "GetStatus", new V1.GetCaStatusRequest(), V1.CaStatus.Parser).Within("GetStatus");
        var token = await api.Client.UnaryAsync(Service + "CreateToken", new V1.CreateTokenRequest { Namespace = "shop", ServiceAccount = "cart" }, V1.CreateTokenResponse.Parser).Within("CreateToken");

        await api.RestartAsync();

        var after = await api.Client.UnaryAsync(Service + "GetStatus", new V1.GetCaStatusRequest(), V1.CaStatus.Parser).Within("GetStatus");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = await api.Client.UnaryAsync(Service + "Sign", new V1.CsrRequest { CsrDer = ByteString.CopyFrom(CaTestKit.Csr(key)), Token = token.Token }, V1.CsrResponse.Parser).Within("Sign after restart");
        Assert.Equal(before.RootSha256, after.RootSha256);
        Assert.Equal(64, after.RootSha256.Length);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/cart", issued.SpiffeId);
    }
}
