using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// Real sidecars and upstreams: a DestinationRule <c>tls</c> change takes effect from the next request although
/// the client sidecar keeps its upstream connections alive, and mirrored copies get the same TLS origination as
/// the requests they copy.
/// </summary>
public sealed class MtlsTlsChangeTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";

    [Fact]
    public async Task Outbound_DestinationRuleTlsModeChanges_NextRequestUsesTheNewMode()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews");
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")));
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);
        var mtls = $"URI={TlsTestCa.SpiffeId("productpage")}";

        var seen = new List<string> { await CallAsync(productpage) };
        foreach (var (step, mode) in new[] { ("step1", "DISABLE"), ("step2", "ISTIO_MUTUAL"), ("step3", "DISABLE"), ("step4", "ISTIO_MUTUAL") })
        {
            await ApplyReviewsTlsAsync(mesh, productpage, step, $"mode: {mode}");
            seen.Add(await CallAsync(productpage));
            seen.Add(await CallAsync(productpage));
        }

        // Auto mTLS, then each mode twice: the second request of each pair rides the connection the first one opened.
        Assert.Equal([true, false, false, true, true, false, false, true, true], seen.Select(s => s.Contains(mtls, StringComparison.Ordinal)));
        Assert.All(seen, s => Assert.StartsWith("reviews xfcc=", s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outbound_CertificateArrivesAfterPlaintextWasPooled_NextRequestIsMtls()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        var source = new TlsTestCa.Source(null, [mesh.Ca.Root], ["cluster.local"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", source);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);

        var before = await CallAsync(productpage);
        source.Current = mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")).Current;
        var after = await CallAsync(productpage);

        Assert.Equal("reviews xfcc=", before);
        Assert.EndsWith($";URI={TlsTestCa.SpiffeId("productpage")}", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbound_SimpleTlsCaAndNamesChange_NextRequestVerifiesWithTheNewSettings()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var files = Directory.CreateTempSubdirectory("tls-change-").FullName;
        try
        {
            using var serverCertificate = mesh.Ca.IssueServer("external.test");
            using var foreign = new TlsTestCa("foreign root");
            var rootFile = Path.Combine(files, "root.pem");
            var foreignFile = Path.Combine(files, "foreign.pem");
            await File.WriteAllTextAsync(rootFile, mesh.Ca.Root.ExportCertificatePem());
            await File.WriteAllTextAsync(foreignFile, foreign.Root.ExportCertificatePem());
            await using var upstream = await HttpsUpstream.StartAsync(serverCertificate, mesh.Ca);
            var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", certificates: null);
            await mesh.Harness.ApplyAsync($$"""
                apiVersion: networking.istio.io/v1beta1
                kind: ServiceEntry
                metadata:
                  name: external
                spec:
                  hosts: [api.external.test]
                  location: MESH_EXTERNAL
                  resolution: STATIC
                  ports:
                  - number: 80
                    name: http
                    protocol: HTTP
                  endpoints:
                  - address: 127.0.0.1
                    ports: { http: {{upstream.Port}} }
                """);
            await MeshHarness.WaitForEndpointsAsync(productpage, "api.external.test", 1);

            var steps = new (string Tls, HttpStatusCode Expected)[]
            {
                ($"mode: SIMPLE\n      caCertificates: {rootFile}\n      sni: external.test", HttpStatusCode.OK),
                ($"mode: SIMPLE\n      caCertificates: {rootFile}\n      subjectAltNames: [other.test]", HttpStatusCode.ServiceUnavailable),
                ($"mode: SIMPLE\n      caCertificates: {rootFile}\n      subjectAltNames: [external.test]", HttpStatusCode.OK),
                ($"mode: SIMPLE\n      caCertificates: {foreignFile}\n      sni: external.test", HttpStatusCode.ServiceUnavailable),
                ($"mode: SIMPLE\n      caCertificates: {rootFile}\n      sni: external.test", HttpStatusCode.OK),
                ("mode: DISABLE", HttpStatusCode.BadGateway),
                ($"mode: SIMPLE\n      caCertificates: {rootFile}\n      sni: external.test", HttpStatusCode.OK),
            };
            var wrong = new List<string>();
            for (var i = 0; i < steps.Length; i++)
            {
                await mesh.Harness.ApplyAsync($$"""
                    apiVersion: networking.istio.io/v1beta1
                    kind: DestinationRule
                    metadata:
                      name: external
                    spec:
                      host: api.external.test
                      trafficPolicy:
                        tls:
                          {{steps[i].Tls}}
                      subsets:
                      - name: marker{{i}}
                        labels: { marker: "{{i}}" }
                    """);
                await MeshHarness.WaitForConfigAsync(productpage, $"marker{i}");
                foreach (var attempt in new[] { "first", "second" })
                {
                    using var response = await MtlsMesh.CallAsync(productpage, "api.external.test", "/x");
                    var body = await response.Content.ReadAsStringAsync();
                    var ok = steps[i].Expected == HttpStatusCode.OK ? response.StatusCode == HttpStatusCode.OK && body == "tls client=none" : response.StatusCode != HttpStatusCode.OK;
                    if (!ok)
                    {
                        wrong.Add($"step {i} ({steps[i].Tls.Split('\n')[0]}), {attempt} request: expected {steps[i].Expected}, got {response.StatusCode} {body}");
                    }
                }
            }

            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    [Fact]
    public async Task Outbound_MirroredCopy_UsesMeshMtlsLikeTheRequestItCopies()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var primary = await mesh.StartAppAsync("reviews");
        var copies = new ConcurrentQueue<string>();
        await using var shadowApp = await TestServer.StartAsync(context =>
        {
            copies.Enqueue($"{context.Request.Host} xfcc={context.Request.Headers["x-forwarded-client-cert"]}");
            return context.Response.WriteAsync("shadow");
        });
        await mesh.StartSidecarAsync("reviews", primary, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")));
        var shadow = await mesh.StartSidecarAsync("shadow", shadowApp, "shadow", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("shadow")));
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")));
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);
        await MeshHarness.WaitForEndpointsAsync(productpage, "shadow.default.svc.cluster.local", 1);
        // STRICT on every workload: a plaintext copy would be refused at the shadow's sidecar.
        await mesh.Harness.ApplyAsync(MtlsInboundTests.StrictMesh + "\n---\n" + """
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: reviews
            spec:
              hosts: [reviews]
              http:
              - name: mirroredroute
                route:
                - destination: { host: reviews }
                mirror: { host: shadow }
                mirrorPercentage: { value: 100.0 }
            """);
        await MeshHarness.WaitForConfigAsync(productpage, "mirroredroute");
        await MeshHarness.WaitForConfigAsync(shadow, "STRICT");

        var answer = await CallAsync(productpage);
        await Eventually.Async($"the mirrored copy at the shadow app (have {copies.Count})", () => Task.FromResult(!copies.IsEmpty));

        Assert.EndsWith($";URI={TlsTestCa.SpiffeId("productpage")}", answer, StringComparison.Ordinal);
        var copy = Assert.Single(copies);
        Assert.StartsWith($"reviews-shadow xfcc=By={TlsTestCa.SpiffeId("shadow")};Hash=", copy, StringComparison.Ordinal);
        Assert.EndsWith($";URI={TlsTestCa.SpiffeId("productpage")}", copy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbound_ServerPeerAuthenticationDisable_AutoMtlsSendsPlaintextUntilItIsLifted()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews");
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")));
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);
        var mtls = $"URI={TlsTestCa.SpiffeId("productpage")}";
        Assert.Contains(mtls, await CallAsync(productpage), StringComparison.Ordinal);

        await ApplyReviewsPeerAuthenticationAsync(mesh, "DISABLE");
        var plain = await CallUntilAsync(productpage, body => !body.Contains(mtls, StringComparison.Ordinal));
        var after = new[] { await CallAsync(productpage), await CallAsync(productpage) };

        await ApplyReviewsPeerAuthenticationAsync(mesh, "STRICT");
        var back = await CallUntilAsync(productpage, body => body.Contains(mtls, StringComparison.Ordinal));

        // A DISABLE server offers no TLS: auto mTLS sends it plaintext (every request succeeding), and mTLS again once lifted.
        Assert.Equal("reviews xfcc=", plain);
        Assert.All(after, body => Assert.Equal("reviews xfcc=", body));
        Assert.EndsWith($";{mtls}", back, StringComparison.Ordinal);
    }

    private static Task ApplyReviewsPeerAuthenticationAsync(MtlsMesh mesh, string mode) => mesh.Harness.ApplyAsync($$"""
        apiVersion: security.istio.io/v1beta1
        kind: PeerAuthentication
        metadata:
          name: reviews-mode
        spec:
          selector:
            matchLabels: { app: reviews }
          mtls:
            mode: {{mode}}
        """);

    // Every call must succeed; the config push that changes the mode arrives at some point within the bound.
    private static async Task<string> CallUntilAsync(RunningSidecar client, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var body = await CallAsync(client);
            if (done(body) || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(50);
        }
    }

    private static async Task ApplyReviewsTlsAsync(MtlsMesh mesh, RunningSidecar client, string marker, string tls)
    {
        await mesh.Harness.ApplyAsync($$"""
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: reviews-tls
            spec:
              host: reviews
              trafficPolicy:
                tls:
                  {{tls}}
              subsets:
              - name: {{marker}}
                labels: { app: reviews }
            """);
        await MeshHarness.WaitForConfigAsync(client, marker);
    }

    private static async Task<string> CallAsync(RunningSidecar client)
    {
        using var response = await MtlsMesh.CallAsync(client, "reviews", "/r");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode} {body}");
        return body;
    }
}
