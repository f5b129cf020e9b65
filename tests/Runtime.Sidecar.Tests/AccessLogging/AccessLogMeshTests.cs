using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.AccessLogging;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.AccessLogging;

/// <summary>
/// Access logs between two real sidecars, switched by Telemetry resources pushed by a real control plane: each
/// sidecar writes to its own file; a sidecar is disposed (which drains its writer) before asserting what it did not log.
/// </summary>
public sealed partial class AccessLogMeshTests : IDisposable
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("mesh-access-logs-");

    [Fact]
    public async Task WorkloadTelemetry_Json_OnlyThatWorkloadLogsWithAllFields()
    {
        await using var pair = await StartPairAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: reviews-logs, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              accessLogging: [{providers: [{name: envoy}]}]
            """, AccessLogFormat.Json, "reviews-logs");
        var (reviews, reviewsLog, productpage, productpageLog) = (pair.Reviews, pair.ReviewsLog, pair.Productpage, pair.ProductpageLog);

        using (var response = await CallAsync(productpage, "/200?x=1", "req-1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await reviews.DisposeAsync();
        await productpage.DisposeAsync();
        var line = Assert.Single(Lines(reviewsLog));
        Assert.Empty(Lines(productpageLog));

        using var json = JsonDocument.Parse(line);
        var entry = json.RootElement;
        Assert.Equal("inbound", entry.GetProperty("direction").GetString());
        Assert.Equal("GET", entry.GetProperty("method").GetString());
        Assert.Equal("/200?x=1", entry.GetProperty("path").GetString());
        Assert.Equal("HTTP/1.1", entry.GetProperty("protocol").GetString());
        Assert.Equal(200, entry.GetProperty("response_code").GetInt32());
        Assert.Equal("-", entry.GetProperty("response_flags").GetString());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("mesh_reason").ValueKind);
        Assert.Equal(10, entry.GetProperty("bytes_sent").GetInt64());
        Assert.Equal(0, entry.GetProperty("bytes_received").GetInt64());
        Assert.True(entry.GetProperty("duration").GetInt64() >= 0);
        Assert.Equal($"127.0.0.1:{pair.App.Address.Port}", entry.GetProperty("upstream_host").GetString());
        Assert.Equal("req-1", entry.GetProperty("request_id").GetString());
        Assert.StartsWith("reviews", entry.GetProperty("authority").GetString(), StringComparison.Ordinal);
        Assert.Equal("reviews.default", entry.GetProperty("destination_identity").GetString());
        Assert.True(DateTime.TryParse(entry.GetProperty("start_time").GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out _));
    }

    [Fact]
    public async Task MeshTelemetry_FilterOnResponseCode_LogsOnlyMatchingRequests()
    {
        await using var pair = await StartPairAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              accessLogging: [{filter: {expression: "response.code >= 500"}}]
            """, AccessLogFormat.Text, "mesh-default");
        var (reviews, _, productpage, productpageLog) = (pair.Reviews, pair.ReviewsLog, pair.Productpage, pair.ProductpageLog);

        foreach (var code in new[] { 200, 500, 404, 500, 201 })
        {
            using var response = await CallAsync(productpage, "/" + code, "f-" + code);
            Assert.Equal(code, (int)response.StatusCode);
        }

        await productpage.DisposeAsync();
        var lines = Lines(productpageLog);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line =>
        {
            var match = EnvoyText().Match(line);
            Assert.True(match.Success, $"not Envoy's text format: {line}");
            Assert.Equal("GET /500 HTTP/1.1", match.Groups["request"].Value);
            Assert.Equal("500", match.Groups["code"].Value);
            Assert.Equal("f-500", match.Groups["id"].Value);
            Assert.Equal("reviews", match.Groups["authority"].Value);
            Assert.Equal($"{reviews.InboundAddress.Host}:{reviews.InboundAddress.Port}", match.Groups["upstream"].Value);
            Assert.Equal("productpage.default reviews.default", match.Groups["identities"].Value);
        });
    }

    [Fact]
    public async Task MeshTelemetry_FilterOnHeaderOrFlag_LogsOnlyMatchingRequestsOnBothSides()
    {
        await using var pair = await StartPairAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              accessLogging: [{filter: {expression: "request.headers['x-debug'] == 'on' || (response.flags == 'NR' && !has(request.headers['x-quiet']))"}}]
            """, AccessLogFormat.Text, "mesh-default");
        var (reviews, reviewsLog, productpage, productpageLog) = (pair.Reviews, pair.ReviewsLog, pair.Productpage, pair.ProductpageLog);

        foreach (var (path, id, debug) in new[] { ("/200", "h-plain", false), ("/201", "h-debug", true), ("/404", "h-404", false) })
        {
            using var response = await CallAsync(productpage, path, id, debug ? "on" : null);
            Assert.Equal(int.Parse(path[1..], CultureInfo.InvariantCulture), (int)response.StatusCode);
        }

        using (var response = await MtlsMesh.CallAsync(productpage, "nowhere.example", "/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        await reviews.DisposeAsync();
        await productpage.DisposeAsync();
        var reviewsLine = Assert.Single(Lines(reviewsLog));
        Assert.Contains("\"GET /201 HTTP/1.1\" 201 - ", reviewsLine, StringComparison.Ordinal);
        Assert.Contains("\"h-debug\"", reviewsLine, StringComparison.Ordinal);
        var lines = Lines(productpageLog);
        Assert.Equal(2, lines.Count);
        Assert.Contains(lines, l => l.Contains("\"GET /201 HTTP/1.1\" 201 - ", StringComparison.Ordinal) && l.Contains("\"h-debug\"", StringComparison.Ordinal));
        // The app's own 404 has no flag; only the mesh's no-route answer is NR.
        Assert.Contains(lines, l => l.Contains("\"GET / HTTP/1.1\" 404 NR ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkloadDisabled_OverridesMeshEnabled()
    {
        await using var pair = await StartPairAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              accessLogging: [{providers: [{name: envoy}]}]
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: reviews-quiet, namespace: default}
            spec:
              selector: {matchLabels: {app: reviews}}
              accessLogging: [{disabled: true}]
            """, AccessLogFormat.Text, "mesh-default", "reviews-quiet");
        var (reviews, reviewsLog, productpage, productpageLog) = (pair.Reviews, pair.ReviewsLog, pair.Productpage, pair.ProductpageLog);

        using (var response = await CallAsync(productpage, "/200", "d-1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var response = await MtlsMesh.CallAsync(productpage, "nowhere.example", "/"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        await reviews.DisposeAsync();
        await productpage.DisposeAsync();
        Assert.Empty(Lines(reviewsLog));
        var lines = Lines(productpageLog);
        Assert.Equal(2, lines.Count);
        Assert.Contains(lines, l => l.Contains("\"GET /200 HTTP/1.1\" 200 - ", StringComparison.Ordinal));
        // The mesh's own 404: flag NR and its sentence, no upstream.
        Assert.Contains(lines, l => l.Contains("\"GET / HTTP/1.1\" 404 NR ", StringComparison.Ordinal) && l.Contains("\"-\" \"no route matched the request\"", StringComparison.Ordinal));
    }

    public void Dispose() => _logs.Delete(recursive: true);

    /// <summary>A control plane, a status app, and the two sidecars with their log files.</summary>
    private sealed class Pair(MeshHarness harness, TestServer app, string logs) : IAsyncDisposable
    {
        public TestServer App => app;

        public RunningSidecar Reviews { get; set; } = null!;

        public RunningSidecar Productpage { get; set; } = null!;

        public string ReviewsLog => Path.Combine(logs, "reviews.log");

        public string ProductpageLog => Path.Combine(logs, "productpage.log");

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            await harness.DisposeAsync();
        }
    }

    /// <summary>
    /// Applies <paramref name="manifest"/> to a new control plane, then starts reviews (in front of a status app) and
    /// productpage, each logging to its own file, and waits until both have the named Telemetry resources.
    /// </summary>
    private async Task<Pair> StartPairAsync(string manifest, AccessLogFormat format, params string[] telemetry)
    {
        var harness = await MeshHarness.StartAsync();
        var app = await StatusApp();
        var pair = new Pair(harness, app, _logs.FullName);
        await harness.ApplyAsync(manifest);
        harness.ConfigureSidecar = options => (options.AccessLogPath, options.AccessLogFormat) = (pair.ReviewsLog, format);
        pair.Reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        harness.ConfigureSidecar = options => (options.AccessLogPath, options.AccessLogFormat) = (pair.ProductpageLog, format);
        pair.Productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(pair.Productpage, ReviewsFqdn, 1);
        foreach (var name in telemetry)
        {
            await MeshHarness.WaitForConfigAsync(pair.Reviews, name);
            await MeshHarness.WaitForConfigAsync(pair.Productpage, name);
        }

        return pair;
    }

    private static async Task<HttpResponseMessage> CallAsync(RunningSidecar client, string path, string requestId, string? debug = null)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.OutboundAddress, path));
        request.Headers.Host = "reviews";
        request.Headers.Add("x-request-id", requestId);
        if (debug is not null)
        {
            request.Headers.Add("x-debug", debug);
        }

        return await http.SendAsync(request);
    }

    private static List<string> Lines(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        Assert.True(text.Length == 0 || text.EndsWith('\n'), $"half line at the end of {path}: {text}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static Task<TestServer> StatusApp() => TestServer.StartAsync(context =>
    {
        context.Response.StatusCode = int.Parse(context.Request.Path.Value!.TrimStart('/'), CultureInfo.InvariantCulture);
        context.Response.ContentLength = 10;
        return context.Response.WriteAsync("status " + context.Response.StatusCode);
    });

    // Envoy's default format, then the mesh reason and the two identities.
    [GeneratedRegex("""^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] "(?<request>[^"]+)" (?<code>\d+) (?<flags>\S+) \d+ \d+ \d+ - "[^"]*" "[^"]*" "(?<id>[^"]*)" "(?<authority>[^"]*)" "(?<upstream>[^"]*)" "[^"]*" (?<identities>\S+ \S+)$""")]
    private static partial Regex EnvoyText();
}
