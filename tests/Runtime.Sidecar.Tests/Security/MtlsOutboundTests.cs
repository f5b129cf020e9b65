using System.Net;
using Runtime.Sidecar.Tests.Mesh;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// Outbound auto mTLS between two real sidecars: the client sidecar originates TLS with its workload certificate,
/// verifies the server's identity against the destination's registered service accounts, and stays plaintext
/// when a DestinationRule says <c>tls.mode: DISABLE</c>. The app's XFCC shows what the server sidecar saw.
/// </summary>
public sealed class MtlsOutboundTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Outbound_ToMeshSidecar_OriginatesMtls(int major)
    {
        var version = new Version(major, major == 1 ? 1 : 0);
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews", version);
        await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")));
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);

        using var response = await MtlsMesh.CallAsync(productpage, "reviews", "/r", version);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {body}");
        Assert.StartsWith($"reviews xfcc=By={TlsTestCa.SpiffeId("reviews")};Hash=", body, StringComparison.Ordinal);
        Assert.EndsWith($";URI={TlsTestCa.SpiffeId("productpage")}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbound_ServerIdentityNotAllowedForService_IsRefused()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        // Registered as service account "reviews", but serving with a certificate for "ratings": secure naming fails.
        await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("ratings")));
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")));
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);

        using var response = await MtlsMesh.CallAsync(productpage, "reviews", "/r");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.DoesNotContain("reviews xfcc", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbound_DestinationRuleTlsDisable_SendsPlaintext()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")));
        await mesh.Harness.ApplyAsync("""
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: reviews-plaintext
            spec:
              host: reviews
              trafficPolicy:
                tls:
                  mode: DISABLE
            """);
        await MeshHarness.WaitForConfigAsync(productpage, "reviews-plaintext");
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);

        using var response = await MtlsMesh.CallAsync(productpage, "reviews", "/r");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("reviews xfcc=", await response.Content.ReadAsStringAsync());
    }
}
