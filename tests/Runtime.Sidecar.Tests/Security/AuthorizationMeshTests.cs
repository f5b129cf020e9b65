using System.Net;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>AuthorizationPolicy applied through the control plane and enforced by a real sidecar on loopback.</summary>
public sealed class AuthorizationMeshTests
{
    private const string Policies = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: reviews-read
          namespace: default
        spec:
          selector:
            matchLabels:
              app: reviews
          rules:
          - to:
            - operation:
                methods: ["GET"]
                paths: ["/public/*", "/items/{*}"]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: reviews-secret
          namespace: default
        spec:
          selector:
            matchLabels:
              app: reviews
          action: DENY
          rules:
          - to:
            - operation:
                paths: ["/public/secret"]
        """;

    [Fact]
    public async Task Request_AllowAndDenyPolicies_EnforcedByTheServerSidecar()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var reviews = await mesh.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        await mesh.ApplyAsync(Policies);
        await MeshHarness.WaitForConfigAsync(reviews, "reviews-secret");
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        var allowed = await SendAsync(client, productpage, HttpMethod.Get, "/public/a?x=1");
        var template = await SendAsync(client, productpage, HttpMethod.Get, "/items/42");
        var wrongMethod = await SendAsync(client, productpage, HttpMethod.Post, "/public/a");
        var denied = await SendAsync(client, productpage, HttpMethod.Get, "/public/secret");
        var notListed = await SendAsync(client, productpage, HttpMethod.Get, "/items/42/edit");

        Assert.Equal((HttpStatusCode.OK, "reviews /public/a?x=1"), (allowed.StatusCode, await allowed.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        foreach (var response in new[] { wrongMethod, denied, notListed })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("RBAC: access denied", await response.Content.ReadAsStringAsync());
            Assert.Equal("RBAC", response.Headers.GetValues("x-mesh-reason").Single());
        }
    }

    [Fact]
    public async Task Request_NoPolicies_Allowed()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        await mesh.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        var response = await SendAsync(client, productpage, HttpMethod.Delete, "/anything");

        Assert.Equal((HttpStatusCode.OK, "reviews /anything"), (response.StatusCode, await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Request_MeshWidePrincipalsRuleFromRootNamespace_DeniesPlaintextCallers()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var reviews = await mesh.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        await mesh.ApplyAsync("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: mtls-only
              namespace: mesh-system
            spec:
              rules:
              - from:
                - source:
                    notPrincipals: ["cluster.local/ns/evil/sa/attacker"]
            """);
        await MeshHarness.WaitForConfigAsync(reviews, "mtls-only");
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        // Sidecar-to-sidecar traffic is plaintext here: it has no principal, so not even a not-form allows it.
        var response = await SendAsync(client, productpage, HttpMethod.Get, "/x");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Runtime.Sidecar.Hosting.RunningSidecar via, HttpMethod method, string pathAndQuery)
    {
        using var request = new HttpRequestMessage(method, new Uri(via.OutboundAddress, pathAndQuery));
        request.Headers.Host = "reviews";
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
