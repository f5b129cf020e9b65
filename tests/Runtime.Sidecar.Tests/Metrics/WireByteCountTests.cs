using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Metrics;

/// <summary>
/// <c>istio_request_bytes</c> and <c>istio_response_bytes</c> count the body bytes that crossed the sidecar, also
/// when no Content-Length was declared (HTTP/1.1 chunked, HTTP/2 DATA frames), on both reporters.
/// </summary>
public sealed class WireByteCountTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private const int RequestBody = 100_000;
    private const int ResponseChunk = 1_500;
    private const int ResponseChunks = 3;

    [Fact]
    public async Task ChunkedBodies_Http11_ExactBytesOnBothReporters() =>
        await AssertCountedAsync(HttpVersion.Version11, HttpProtocols.Http1);

    [Fact]
    public async Task UndeclaredBodies_Http2_ExactBytesOnBothReporters() =>
        await AssertCountedAsync(HttpVersion.Version20, HttpProtocols.Http2);

    private static async Task AssertCountedAsync(Version version, HttpProtocols appProtocols)
    {
        await using var harness = await MeshHarness.StartAsync();
        // Reads the whole request body and answers three flushed chunks, never declaring a length.
        await using var app = await TestServer.StartAsync(
            async context =>
            {
                var received = new MemoryStream();
                await context.Request.Body.CopyToAsync(received);
                context.Response.Headers["x-received"] = received.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                for (var i = 0; i < ResponseChunks; i++)
                {
                    await context.Response.Body.WriteAsync(new byte[ResponseChunk]);
                    await context.Response.Body.FlushAsync();
                }
            },
            appProtocols);
        var reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews", "version=v1"]);
        var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);

        using var http = MtlsMesh.PlainClient(version);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(productpage.OutboundAddress, "/upload"))
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new GeneratedContent(RequestBody, declareLength: false),
        };
        request.Headers.Host = "reviews";
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(version, response.Version);
        Assert.Equal(RequestBody.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("x-received").Single());
        Assert.Null(response.Content.Headers.ContentLength); // as sent: chunked, or DATA frames without a length
        Assert.Equal(ResponseChunk * ResponseChunks, (await response.Content.ReadAsByteArrayAsync()).Length);

        foreach (var (sidecar, reporter) in new[] { (productpage, "source"), (reviews, "destination") })
        {
            var metrics = await ScrapeOneAsync(sidecar);
            (string, string)[] match = [("reporter", reporter), ("response_code", "200")];
            Assert.Equal(1, metrics.Sum("istio_request_bytes_count", match));
            Assert.Equal(RequestBody, metrics.Sum("istio_request_bytes_sum", match));
            Assert.Equal(ResponseChunk * ResponseChunks, metrics.Sum("istio_response_bytes_sum", match));
            // 4,500 bytes: above the 2,500 bound, within 5,000.
            Assert.Equal(0, metrics.Sum("istio_response_bytes_bucket", [.. match, ("le", "2500")]));
            Assert.Equal(1, metrics.Sum("istio_response_bytes_bucket", [.. match, ("le", "5000")]));
        }
    }

    private static async Task<ScrapedMetrics> ScrapeOneAsync(RunningSidecar sidecar)
    {
        await Eventually.Async($"one request counted on {sidecar.AdminAddress}", async () =>
            (await ScrapedMetrics.ScrapeAsync(sidecar)).Sum("istio_requests_total") >= 1);
        return await ScrapedMetrics.ScrapeAsync(sidecar);
    }
}
