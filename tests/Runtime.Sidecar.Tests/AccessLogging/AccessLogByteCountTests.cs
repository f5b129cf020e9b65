using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Runtime.Sidecar.AccessLogging;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Security.Authorization;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Metrics;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.AccessLogging;

/// <summary>
/// Access-log byte counts between two real sidecars are the wire counts the metrics record: undeclared (chunked)
/// bodies in full, and the mesh's own 403 RBAC and fault-abort bodies, which now declare their length.
/// </summary>
public sealed class AccessLogByteCountTests : IDisposable
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private const int RequestBody = 100_000;
    private const int ResponseChunk = 1_500;
    private const int ResponseChunks = 3;
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("mesh-access-log-bytes-");

    [Fact]
    public async Task ChunkedBodies_RbacDenial_FaultAbort_ExactBytesInLogsAndMetrics()
    {
        await using var harness = await MeshHarness.StartAsync();
        // Reads the whole request body and answers three flushed chunks, never declaring a length.
        await using var app = await TestServer.StartAsync(async context =>
        {
            var received = new MemoryStream();
            await context.Request.Body.CopyToAsync(received);
            for (var i = 0; i < ResponseChunks; i++)
            {
                await context.Response.Body.WriteAsync(new byte[ResponseChunk]);
                await context.Response.Body.FlushAsync();
            }
        });
        await harness.ApplyAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-logs, namespace: istio-system}
            spec:
              accessLogging: [{providers: [{name: envoy}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: reviews-deny, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              action: DENY
              rules: [{to: [{operation: {paths: ["/denied"]}}]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews-fault, namespace: default}
            spec:
              hosts: [reviews]
              http:
                - match: [{uri: {prefix: /fault}}]
                  fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
                  route: [{destination: {host: reviews}}]
                - route: [{destination: {host: reviews}}]
            """);
        var reviewsLog = Path.Combine(_logs.FullName, "reviews.log");
        var productpageLog = Path.Combine(_logs.FullName, "productpage.log");
        harness.ConfigureSidecar = options => (options.AccessLogPath, options.AccessLogFormat) = (reviewsLog, AccessLogFormat.Json);
        var reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        harness.ConfigureSidecar = options => (options.AccessLogPath, options.AccessLogFormat) = (productpageLog, AccessLogFormat.Json);
        var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);
        foreach (var name in new[] { "mesh-logs", "reviews-deny", "reviews-fault" })
        {
            await MeshHarness.WaitForConfigAsync(productpage, name);
            await MeshHarness.WaitForConfigAsync(reviews, name);
        }

        using var http = MtlsMesh.PlainClient(HttpVersion.Version11);
        using (var upload = new HttpRequestMessage(HttpMethod.Post, new Uri(productpage.OutboundAddress, "/upload")) { Content = new GeneratedContent(RequestBody, declareLength: false) })
        {
            upload.Headers.Host = "reviews";
            using var response = await http.SendAsync(upload, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.Content.Headers.ContentLength);
            Assert.Equal(ResponseChunk * ResponseChunks, (await response.Content.ReadAsByteArrayAsync()).Length);
        }

        var deniedLength = Encoding.UTF8.GetByteCount(InboundAuthorization.DeniedBody);
        using (var denied = await MtlsMesh.CallAsync(productpage, "reviews", "/denied"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Equal(deniedLength, (await denied.Content.ReadAsByteArrayAsync()).Length);
        }

        long faultLength;
        using (var fault = await MtlsMesh.CallAsync(productpage, "reviews", "/fault"))
        {
            Assert.Equal((HttpStatusCode)418, fault.StatusCode);
            faultLength = (await fault.Content.ReadAsByteArrayAsync()).Length;
            Assert.True(faultLength > 0);
        }

        var server = await EntriesAsync(reviewsLog, 2);
        var client = await EntriesAsync(productpageLog, 3);

        AssertBytes(server["/upload"], 200, RequestBody, ResponseChunk * ResponseChunks);
        AssertBytes(client["/upload"], 200, RequestBody, ResponseChunk * ResponseChunks);
        AssertBytes(server["/denied"], 403, 0, deniedLength);
        AssertBytes(client["/denied"], 403, 0, deniedLength);
        AssertBytes(client["/fault"], 418, 0, faultLength);
        Assert.False(server.ContainsKey("/fault"));

        // The metrics count the same bodies.
        var destination = await ScrapedMetrics.ScrapeAsync(reviews);
        Assert.Equal(deniedLength, destination.Sum("istio_response_bytes_sum", ("response_flags", "RBAC")));
        Assert.Equal(RequestBody, destination.Sum("istio_request_bytes_sum", ("response_code", "200")));
        var source = await ScrapedMetrics.ScrapeAsync(productpage);
        Assert.Equal(faultLength, source.Sum("istio_response_bytes_sum", ("response_flags", "FI")));
        Assert.Equal(deniedLength, source.Sum("istio_response_bytes_sum", ("response_flags", "RBAC")));
        Assert.Equal(ResponseChunk * ResponseChunks, source.Sum("istio_response_bytes_sum", ("response_code", "200")));
    }

    public void Dispose() => _logs.Delete(recursive: true);

    private static void AssertBytes(JsonElement entry, int code, long received, long sent)
    {
        Assert.Equal(code, entry.GetProperty("response_code").GetInt32());
        Assert.Equal(received, entry.GetProperty("bytes_received").GetInt64());
        Assert.Equal(sent, entry.GetProperty("bytes_sent").GetInt64());
    }

    /// <summary>The log's entries by path, once it holds <paramref name="count"/> lines (the writer runs in the background).</summary>
    private static async Task<Dictionary<string, JsonElement>> EntriesAsync(string path, int count)
    {
        await Eventually.Async($"{count} lines in {Path.GetFileName(path)}", () =>
            Task.FromResult(File.Exists(path) && File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length >= count));
        var lines = File.ReadAllText(path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, lines.Length);
        return lines.Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToDictionary(entry => entry.GetProperty("path").GetString()!, StringComparer.Ordinal);
    }
}
