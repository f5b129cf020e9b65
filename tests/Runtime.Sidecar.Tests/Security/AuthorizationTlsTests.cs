using System.Net;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Tests.Mesh;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// AuthorizationPolicy attributes that only exist on a real TLS connection, against a real sidecar on loopback:
/// <c>connection.sni</c> (the server name of the ClientHello) and principals from an alias trust domain.
/// </summary>
public sealed class AuthorizationTlsTests
{
    private const string ReviewsHost = "reviews.default.svc.cluster.local";

    [Fact]
    public async Task ConnectionSni_Condition_MatchesTheClientHelloNameAndNeverPlaintext()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var reviews = await StartReviewsWithSniPolicyAsync(mesh, HttpVersion.Version11, "sni-only", "ALLOW", $"values: [\"{ReviewsHost}\"]");
        using var caller = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]);
        using var tls = mesh.TlsClient(caller, HttpVersion.Version11);
        using var plain = MtlsMesh.PlainClient(HttpVersion.Version11);

        // SocketsHttpHandler sends the Host header's name as SNI, and no SNI at all for an IP literal.
        var named = await SendAsync(tls, MtlsMesh.Https(reviews, "/a"), ReviewsHost);
        var otherName = await SendAsync(tls, MtlsMesh.Https(reviews, "/a"), "ratings.default.svc.cluster.local");
        var noSni = await SendAsync(tls, MtlsMesh.Https(reviews, "/a"), host: null);
        var plaintext = await SendAsync(plain, new Uri(reviews.InboundAddress, "/a"), ReviewsHost);

        Assert.Equal(HttpStatusCode.OK, named);
        Assert.Equal(HttpStatusCode.Forbidden, otherName);
        Assert.Equal(HttpStatusCode.Forbidden, noSni);
        Assert.Equal(HttpStatusCode.Forbidden, plaintext);
    }

    [Fact]
    public async Task ConnectionSni_DenyNotValues_DeniesPlaintextAndOtherNames()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var reviews = await StartReviewsWithSniPolicyAsync(mesh, HttpVersion.Version20, "wrong-sni", "DENY", "notValues: [\"*.default.svc.cluster.local\"]");
        using var caller = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]);
        using var tls = mesh.TlsClient(caller, HttpVersion.Version20);
        using var plain = MtlsMesh.PlainClient(HttpVersion.Version20);

        var named = await SendAsync(tls, MtlsMesh.Https(reviews, "/a"), ReviewsHost);
        var foreign = await SendAsync(tls, MtlsMesh.Https(reviews, "/a"), "reviews.example.com");
        var plaintext = await SendAsync(plain, new Uri(reviews.InboundAddress, "/a"), ReviewsHost);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (named, foreign, plaintext));
    }

    [Fact]
    public async Task Principals_PeerFromAliasTrustDomain_MatchesThePolicyPrincipal()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var own = TlsTestCa.SpiffeId("reviews", trustDomain: "new-td");
        var certificates = new TlsTestCa.Source(new WorkloadCertificate(mesh.Ca.Issue([own]), [], own), [mesh.Ca.Root], ["new-td", "old-td"]);
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", certificates);
        await mesh.Harness.ApplyAsync("""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: from-productpage
              namespace: default
            spec:
              rules:
              - from:
                - source:
                    principals: ["cluster.local/ns/default/sa/productpage"]
            """);
        await MeshHarness.WaitForConfigAsync(reviews, "from-productpage");

        var oldDomain = await SendAsAsync(mesh, reviews, TlsTestCa.SpiffeId("productpage", trustDomain: "old-td"));
        var newDomain = await SendAsAsync(mesh, reviews, TlsTestCa.SpiffeId("productpage", trustDomain: "new-td"));
        var otherAccount = await SendAsAsync(mesh, reviews, TlsTestCa.SpiffeId("ratings", trustDomain: "old-td"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden), (oldDomain, newDomain, otherAccount));
    }

    /// <summary>The reviews app (HTTP/1.1 or h2c, as callers will speak) behind a sidecar with one connection.sni policy.</summary>
    private static async Task<RunningSidecar> StartReviewsWithSniPolicyAsync(MtlsMesh mesh, Version version, string name, string action, string values)
    {
        var app = await mesh.StartAppAsync("reviews", version);
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        await mesh.Harness.ApplyAsync($$"""
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: {{name}}
              namespace: default
            spec:
              action: {{action}}
              rules:
              - when:
                - key: connection.sni
                  {{values}}
            """);
        await MeshHarness.WaitForConfigAsync(reviews, name);
        return reviews;
    }

    private static async Task<HttpStatusCode> SendAsAsync(MtlsMesh mesh, RunningSidecar to, string spiffeId)
    {
        using var certificate = mesh.Ca.Issue([spiffeId]);
        using var client = mesh.TlsClient(certificate, HttpVersion.Version11);
        return await SendAsync(client, MtlsMesh.Https(to, "/a"), host: null);
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, Uri uri, string? host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = client.DefaultRequestVersion, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
