using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// RequestAuthentication end to end: applied through the control plane, pushed to the selected sidecar, enforced on
/// requests arriving from another sidecar, with keys fetched from a real JWKS endpoint.
/// </summary>
public sealed class JwtMeshTests : IDisposable
{
    private readonly JwtTestKeys _keys = new();

    [Fact]
    public async Task Request_ThroughMesh_BadToken401GoodToken200AndAppSeesClaimHeader()
    {
        await using var jwks = await TestServer.StartAsync(context => context.Response.WriteAsync(_keys.Jwks));
        await using var mesh = await MeshHarness.StartAsync();
        var reviews = await mesh.StartAppAsync("reviews");
        var reviewsSidecar = await mesh.StartSidecarAsync("reviews", reviews, labels: ["app=reviews"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        await mesh.ApplyAsync($$"""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: reviews-jwt
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: reviews
              jwtRules:
              - issuer: {{JwtTestKeys.Issuer}}
                jwksUri: {{new Uri(jwks.Address, "/jwks.json")}}
                audiences: [bookinfo]
                outputClaimToHeaders:
                - header: end-user
                  claim: sub
            """);
        await MeshHarness.WaitForConfigAsync(reviewsSidecar, "reviews-jwt");
        using var client = new HttpClient { Timeout = TestTimeouts.Default };
        var now = DateTimeOffset.UtcNow;

        using var good = await SendAsync(client, productpage.OutboundAddress, "Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(now), "rsa"));
        using var bad = await SendAsync(client, productpage.OutboundAddress, "Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(now, "https://other.test"), "rsa"));
        using var expired = await SendAsync(client, productpage.OutboundAddress, "Bearer " + _keys.Sign("ES256", new Dictionary<string, object?>(JwtTestKeys.Claims(now)) { ["exp"] = now.AddMinutes(-5).ToUnixTimeSeconds() }, "ec256"));
        using var anonymous = await SendAsync(client, productpage.OutboundAddress, null, ("end-user", "mallory"));

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal("alice", good.Headers.GetValues("x-seen-end-user").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("JWT", bad.Headers.GetValues("x-mesh-reason").Single());
        Assert.StartsWith("Bearer", bad.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("Jwt verification fails", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.False(anonymous.Headers.Contains("x-seen-end-user"));
    }

    [Fact]
    public async Task Request_PolicySelectingAnotherWorkload_TokenIsNotChecked()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var reviews = await mesh.StartAppAsync("reviews");
        var reviewsSidecar = await mesh.StartSidecarAsync("reviews", reviews, labels: ["app=reviews"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        await mesh.ApplyAsync($$"""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: ratings-jwt
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: ratings
              jwtRules:
              - issuer: {{JwtTestKeys.Issuer}}
                jwks: {{JsonSerializer.Serialize(_keys.Jwks)}}
            """);
        await MeshHarness.WaitForConfigAsync(reviewsSidecar, "ratings-jwt");
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        using var response = await SendAsync(client, productpage.OutboundAddress, "Bearer not-a-token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_RootNamespacePolicy_AppliesToWorkloadsOfEveryNamespace()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var reviews = await mesh.StartAppAsync("reviews");
        var reviewsSidecar = await mesh.StartSidecarAsync("reviews", reviews, labels: ["app=reviews"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        await mesh.ApplyAsync($$"""
            apiVersion: security.istio.io/v1
            kind: RequestAuthentication
            metadata:
              name: mesh-wide-jwt
              namespace: mesh-system
            spec:
              jwtRules:
              - issuer: {{JwtTestKeys.Issuer}}
                jwks: {{JsonSerializer.Serialize(_keys.Jwks)}}
            """);
        await MeshHarness.WaitForConfigAsync(reviewsSidecar, "mesh-wide-jwt");
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        using var bad = await SendAsync(client, productpage.OutboundAddress, "Bearer not-a-token");
        using var good = await SendAsync(client, productpage.OutboundAddress, "Bearer " + _keys.Sign("PS256", JwtTestKeys.Claims(DateTimeOffset.UtcNow), "rsa"));

        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }

    public void Dispose() => _keys.Dispose();

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri outbound, string? authorization, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(outbound, "/reviews/1"));
        request.Headers.Host = "reviews";
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await client.SendAsync(request);
    }
}
