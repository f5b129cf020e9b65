using System.Net;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>
/// Istio's request metrics between two real sidecars: every request is counted once by the client sidecar
/// (reporter="source") and once by the server sidecar (reporter="destination"), per response code, with the
/// workloads' labels and, over mTLS, their principals.
/// </summary>
public sealed class RequestMetricsMeshTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";

    // Path "/<code>" answers <code>: 4 x 200, 2 x 500, 1 x 404, 3 x 201 (not 503: the client sidecar retries it by default,
    // and the server sidecar rightly counts every attempt).
    private static readonly int[] Codes = [200, 500, 200, 404, 201, 200, 500, 201, 200, 201];

    [Fact]
    public async Task Requests_OverMtls_CountedPerCodeOnBothReporters()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        await using var app = await StatusApp();
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews", "version=v2");
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")), "app=productpage", "version=v1");
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);

        await SendAllAsync(productpage);
        var (source, destination) = await ScrapeBothAsync(productpage, reviews);

        var common = new[]
        {
            ("source_workload_namespace", "default"),
            ("source_principal", TlsTestCa.SpiffeId("productpage")),
            ("destination_workload", "reviews"),
            ("destination_workload_namespace", "default"),
            ("destination_principal", TlsTestCa.SpiffeId("reviews")),
            ("destination_app", "reviews"),
            ("destination_version", "v2"),
            ("destination_service", ReviewsFqdn),
            ("destination_service_name", "reviews"),
            ("destination_service_namespace", "default"),
            ("destination_cluster", "Kubernetes"),
            ("request_protocol", "http"),
            ("grpc_response_status", ""),
            ("response_flags", "-"),
        };
        AssertCounted(source, [("reporter", "source"), ("source_workload", "productpage"), ("source_app", "productpage"), ("source_version", "v1"), ("connection_security_policy", "unknown"), .. common]);
        // The server sidecar knows its caller from the verified certificate (namespace, principal) and, through the
        // metadata exchange, its workload, app and version.
        AssertCounted(destination, [("reporter", "destination"), ("source_workload", "productpage"), ("source_app", "productpage"), ("source_version", "v1"), ("connection_security_policy", "mutual_tls"), .. common]);
    }

    [Fact]
    public async Task Requests_Plaintext_NoPrincipalsAndSecurityPolicyNone()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var app = await StatusApp();
        var reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews", "version=v1"]);
        var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);

        await SendAllAsync(productpage);
        var (source, destination) = await ScrapeBothAsync(productpage, reviews);

        var common = new[] { ("source_principal", "unknown"), ("destination_principal", "unknown"), ("destination_version", "v1"), ("destination_service", ReviewsFqdn) };
        AssertCounted(source, [("reporter", "source"), ("source_app", "productpage"), ("source_version", "unknown"), ("source_canonical_revision", "latest"), ("connection_security_policy", "unknown"), .. common]);
        AssertCounted(destination, [("reporter", "destination"), ("source_workload_namespace", "unknown"), ("connection_security_policy", "none"), .. common]);
    }

    [Fact]
    public async Task Request_NoRoute_CountedWithMeshReasonOnSourceOnly()
    {
        await using var harness = await MeshHarness.StartAsync();
        var productpage = await harness.StartSidecarAsync("productpage", null);
        await productpage.Ready.WaitAsync(TestTimeouts.Default);

        using var response = await MtlsMesh.CallAsync(productpage, "nowhere.example", "/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        await Eventually.Async("the 404 NR counted", async () =>
            (await ScrapedMetrics.ScrapeAsync(productpage)).Sum("istio_requests_total") == 1);
        var metrics = await ScrapedMetrics.ScrapeAsync(productpage);
        var (labels, value) = Assert.Single(metrics.Where("istio_requests_total"));
        Assert.Equal(1, value);
        Assert.Equal("404", labels["response_code"]);
        Assert.Equal("NR", labels["response_flags"]);
        Assert.Equal("unknown", labels["destination_service"]);
    }

    private static Task<TestServer> StatusApp() => TestServer.StartAsync(context =>
    {
        context.Response.StatusCode = int.Parse(context.Request.Path.Value!.TrimStart('/'), System.Globalization.CultureInfo.InvariantCulture);
        context.Response.ContentLength = 10;
        return context.Response.WriteAsync("status " + context.Response.StatusCode);
    });

    private static async Task SendAllAsync(RunningSidecar client)
    {
        foreach (var code in Codes)
        {
            using var response = await MtlsMesh.CallAsync(client, "reviews", "/" + code);
            Assert.Equal(code, (int)response.StatusCode);
        }
    }

    /// <summary>Both scrapes once each reporter counted every request (recording follows the response by a moment).</summary>
    private static async Task<(ScrapedMetrics Source, ScrapedMetrics Destination)> ScrapeBothAsync(RunningSidecar client, RunningSidecar server)
    {
        foreach (var sidecar in new[] { client, server })
        {
            await Eventually.Async($"{Codes.Length} requests counted on {sidecar.AdminAddress}", async () =>
                (await ScrapedMetrics.ScrapeAsync(sidecar)).Sum("istio_requests_total") >= Codes.Length);
        }

        return (await ScrapedMetrics.ScrapeAsync(client), await ScrapedMetrics.ScrapeAsync(server));
    }

    private static void AssertCounted(ScrapedMetrics metrics, (string, string)[] labels)
    {
        var total = metrics.Sum("istio_requests_total");
        Assert.True(total == Codes.Length, $"{total} requests counted, expected {Codes.Length}\n{string.Join('\n', metrics.Text.Split('\n').Where(l => l.StartsWith("istio_requests_total", StringComparison.Ordinal)))}");
        foreach (var code in Codes.Distinct())
        {
            var expected = Codes.Count(c => c == code);
            (string, string)[] match = [.. labels, ("response_code", code.ToString(System.Globalization.CultureInfo.InvariantCulture))];
            var series = Assert.Single(metrics.Where("istio_requests_total", match));
            Assert.True(expected == series.Value, $"istio_requests_total{{response_code={code}}} = {series.Value}, expected {expected}\n{metrics.Text}");
            foreach (var histogram in new[] { "istio_request_duration_milliseconds", "istio_request_bytes", "istio_response_bytes" })
            {
                Assert.Equal(expected, metrics.Sum(histogram + "_count", match));
                Assert.Equal(expected, metrics.Sum(histogram + "_bucket", [.. match, ("le", "+Inf")]));
            }
        }

        // Every response body "status NNN" is 10 bytes, declared: all of them in the le="25" bucket, none below 10.
        Assert.Equal(Codes.Length, metrics.Sum("istio_response_bytes_bucket", [.. labels, ("le", "25")]));
        Assert.Equal(0, metrics.Sum("istio_response_bytes_bucket", [.. labels, ("le", "5")]));
        Assert.Equal(Codes.Length * 10, metrics.Sum("istio_response_bytes_sum", labels));
    }
}
