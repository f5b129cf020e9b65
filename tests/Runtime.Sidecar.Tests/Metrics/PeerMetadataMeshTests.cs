using System.Net;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>
/// Metadata exchange: the client sidecar tells the server sidecar its workload, app and version in
/// <c>x-mesh-peer-metadata</c>; the server uses it for the destination reporter's <c>source_*</c> labels only over
/// mTLS and only when it agrees with the peer certificate, and the header never reaches an app.
/// </summary>
public sealed class PeerMetadataMeshTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private const string Header = "x-mesh-peer-metadata";
    private const string Forged = "workload=ratings;namespace=default;app=ratings;version=v9;cluster=Kubernetes";

    [Fact]
    public async Task Request_OverMtls_DestinationReporterNamesTheCallingWorkload()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        await using var app = await HeaderReportingApp();
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews", "version=v2");
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")), "app=productpage", "version=v1");
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);

        // The calling app forges metadata: its sidecar replaces it with its own, and the server's app never sees any.
        using var http = MtlsMesh.PlainClient(HttpVersion.Version11);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(productpage.OutboundAddress, "/"));
        request.Headers.Host = "reviews";
        request.Headers.Add(Header, Forged);
        using var response = await http.SendAsync(request);
        Assert.Equal("seen=", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains(Header));

        var source = await ScrapeOneAsync(productpage);
        var destination = await ScrapeOneAsync(reviews);
        (string, string)[] caller =
        [
            ("source_workload", "productpage"), ("source_workload_namespace", "default"), ("source_principal", TlsTestCa.SpiffeId("productpage")),
            ("source_app", "productpage"), ("source_version", "v1"), ("source_canonical_service", "productpage"), ("source_canonical_revision", "v1"),
            ("source_cluster", "Kubernetes"), ("destination_workload", "reviews"), ("destination_version", "v2"),
        ];
        Assert.Equal(1, source.Sum("istio_requests_total", [("reporter", "source"), .. caller]));
        Assert.Equal(1, destination.Sum("istio_requests_total", [("reporter", "destination"), ("connection_security_policy", "mutual_tls"), .. caller]));
    }

    [Fact]
    public async Task Metadata_FromPlaintextCaller_IgnoredAndStripped()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        await using var app = await HeaderReportingApp();
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews", "version=v2");

        using var http = MtlsMesh.PlainClient(HttpVersion.Version11);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(reviews.InboundAddress, "/"));
        request.Headers.Add(Header, Forged);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("seen=", await response.Content.ReadAsStringAsync());

        var (labels, _) = Assert.Single((await ScrapeOneAsync(reviews)).Where("istio_requests_total"));
        Assert.Equal("none", labels["connection_security_policy"]);
        Assert.Equal("unknown", labels["source_workload"]);
        Assert.Equal("unknown", labels["source_app"]);
        Assert.Equal("unknown", labels["source_version"]);
    }

    [Fact]
    public async Task Metadata_OverMtlsFromAnotherNamespace_IgnoredAndStripped()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        await using var app = await HeaderReportingApp();
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews", "version=v2");
        var intruder = TlsTestCa.SpiffeId("intruder", ns: "other");
        using var certificate = mesh.Ca.Issue([intruder]);

        // A verified caller from namespace "other" claims to be a workload of "default": the claim is not believed.
        using var http = mesh.TlsClient(certificate, HttpVersion.Version11);
        using var request = new HttpRequestMessage(HttpMethod.Get, MtlsMesh.Https(reviews, "/"));
        request.Headers.Add(Header, Forged);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("seen=", await response.Content.ReadAsStringAsync());

        var (labels, _) = Assert.Single((await ScrapeOneAsync(reviews)).Where("istio_requests_total"));
        Assert.Equal("mutual_tls", labels["connection_security_policy"]);
        Assert.Equal(intruder, labels["source_principal"]);
        Assert.Equal("other", labels["source_workload_namespace"]);
        Assert.Equal("unknown", labels["source_workload"]);
        Assert.Equal("unknown", labels["source_app"]);
        Assert.Equal("unknown", labels["source_version"]);
    }

    // Answers "seen=<the metadata header it received, or nothing>".
    private static Task<TestServer> HeaderReportingApp() =>
        TestServer.StartAsync(context => context.Response.WriteAsync("seen=" + context.Request.Headers[Header]));

    private static async Task<ScrapedMetrics> ScrapeOneAsync(RunningSidecar sidecar)
    {
        await Eventually.Async($"one request counted on {sidecar.AdminAddress}", async () =>
            (await ScrapedMetrics.ScrapeAsync(sidecar)).Sum("istio_requests_total") >= 1);
        return await ScrapedMetrics.ScrapeAsync(sidecar);
    }
}
