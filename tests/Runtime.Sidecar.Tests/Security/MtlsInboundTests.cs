using System.Net;
using System.Security.Cryptography;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// The inbound port of a real sidecar under real TLS on loopback: PERMISSIVE detection, STRICT refusal, peer
/// verification at the handshake, and the <c>x-forwarded-client-cert</c> the app receives.
/// </summary>
public sealed class MtlsInboundTests
{
    internal const string StrictMesh = """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: mesh-system
        spec:
          mtls:
            mode: STRICT
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Inbound_Permissive_ServesTlsAndPlaintextOnOnePort(int major)
    {
        var version = new Version(major, major == 1 ? 1 : 0);
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews", version);
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        using var caller = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]);

        using var tls = mesh.TlsClient(caller, version);
        using var secured = await tls.GetAsync(MtlsMesh.Https(reviews, "/tls"));
        var body = await secured.Content.ReadAsStringAsync();
        Assert.True(secured.StatusCode == HttpStatusCode.OK, $"{version} over TLS: {secured.StatusCode} {body}");
        Assert.Equal(version, secured.Version);
        Assert.Contains($"URI={TlsTestCa.SpiffeId("productpage")}", body, StringComparison.Ordinal);

        using var plain = MtlsMesh.PlainClient(version);
        using var clear = await plain.GetAsync(new Uri(reviews.InboundAddress, "/plain"));
        Assert.Equal(HttpStatusCode.OK, clear.StatusCode);
        Assert.Equal(version, clear.Version);
        Assert.Equal("reviews xfcc=", await clear.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Inbound_Strict_RefusesPlaintextAndServesMtls()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews", HttpVersion.Version20);
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        await mesh.Harness.ApplyAsync(StrictMesh);
        await MeshHarness.WaitForConfigAsync(reviews, "STRICT");

        using var plain = MtlsMesh.PlainClient(HttpVersion.Version11);
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.GetAsync(new Uri(reviews.InboundAddress, "/plain")));
        using var h2c = MtlsMesh.PlainClient(HttpVersion.Version20);
        await Assert.ThrowsAsync<HttpRequestException>(() => h2c.GetAsync(new Uri(reviews.InboundAddress, "/plain")));

        using var caller = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]);
        using var tls = mesh.TlsClient(caller, HttpVersion.Version20);
        using var secured = await tls.GetAsync(MtlsMesh.Https(reviews, "/tls"));
        Assert.Equal(HttpStatusCode.OK, secured.StatusCode);
        Assert.Contains($"URI={TlsTestCa.SpiffeId("productpage")}", await secured.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inbound_UntrustedOrInvalidPeer_FailsHandshake()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        using var foreignCa = new TlsTestCa("foreign root");

        using var fromForeignCa = foreignCa.Issue([TlsTestCa.SpiffeId("productpage")]);
        using var foreignDomain = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage", trustDomain: "evil.example")]);
        using var expired = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")], DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-1));
        using var notYetValid = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")], DateTimeOffset.UtcNow.AddDays(1), DateTimeOffset.UtcNow.AddDays(2));
        using var twoSans = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage"), TlsTestCa.SpiffeId("admin")]);
        using var wildcard = mesh.Ca.Issue(["spiffe://cluster.local/ns/default/sa/*"]);
        foreach (var (name, certificate) in new[] { ("foreign CA", fromForeignCa), ("foreign trust domain", foreignDomain), ("expired", expired), ("not yet valid", notYetValid), ("two SANs", twoSans), ("wildcard", wildcard), ("no certificate", null) })
        {
            using var tls = mesh.TlsClient(certificate, HttpVersion.Version11);
            var failure = await Record.ExceptionAsync(() => tls.GetAsync(MtlsMesh.Https(reviews, "/")));
            Assert.True(failure is HttpRequestException, $"{name}: expected the handshake to fail, got {failure?.GetType().Name ?? "a response"}");
        }

        // The same port still serves a valid peer afterwards.
        using var valid = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]);
        using var client = mesh.TlsClient(valid, HttpVersion.Version11);
        using var response = await client.GetAsync(MtlsMesh.Https(reviews, "/"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Inbound_ForgedForwardedClientCert_IsStrippedAndReplaced()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        const string Forged = "By=spiffe://cluster.local/ns/default/sa/reviews;URI=spiffe://cluster.local/ns/default/sa/admin";

        using var plain = MtlsMesh.PlainClient(HttpVersion.Version11);
        using var plainRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(reviews.InboundAddress, "/")) { Version = HttpVersion.Version11 };
        plainRequest.Headers.TryAddWithoutValidation("x-forwarded-client-cert", Forged);
        using var plainResponse = await plain.SendAsync(plainRequest);
        Assert.Equal("reviews xfcc=", await plainResponse.Content.ReadAsStringAsync());

        using var caller = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]);
        using var tls = mesh.TlsClient(caller, HttpVersion.Version11);
        using var tlsRequest = new HttpRequestMessage(HttpMethod.Get, MtlsMesh.Https(reviews, "/")) { Version = HttpVersion.Version11 };
        tlsRequest.Headers.TryAddWithoutValidation("x-forwarded-client-cert", Forged);
        using var tlsResponse = await tls.SendAsync(tlsRequest);
        var hash = Convert.ToHexStringLower(SHA256.HashData(caller.RawData));
        Assert.Equal(
            $"reviews xfcc=By={TlsTestCa.SpiffeId("reviews")};Hash={hash};URI={TlsTestCa.SpiffeId("productpage")}",
            await tlsResponse.Content.ReadAsStringAsync());
    }
}
