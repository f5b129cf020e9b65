using System.Net;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Sidecar.Tests.Tracing;
using Runtime.Sidecar.Tests.Tracing.Otlp;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.MeshConfig;

/// <summary>
/// Mesh config pushed by a real control plane to two running sidecars (productpage → reviews → app): access logs
/// switched on and off live, a file with a custom format, and spans sent to the opentelemetry provider's collector.
/// </summary>
public sealed class MeshConfigMeshTests : IDisposable
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("mesh-config-logs-");

    [Fact]
    public async Task IstioOperatorAccessLogFile_AppliedThenDeleted_TurnsLinesOnThenOff()
    {
        await using var harness = await MeshHarness.StartAsync();
        var log = Path.Combine(_logs.FullName, "productpage.log");
        var (_, productpage) = await StartPairAsync(harness, options => options.AccessLogPath = log);

        await CallAsync(productpage, "before");
        await harness.ApplyAsync("""
            apiVersion: install.istio.io/v1alpha1
            kind: IstioOperator
            metadata:
              namespace: istio-system
              name: istio-controlplane
            spec:
              profile: production
              meshConfig:
                accessLogFile: /dev/stdout
                enableTracing: true
                outboundTrafficPolicy:
                  mode: ALLOW_ANY
            """);
        await MeshHarness.WaitForConfigAsync(productpage, "accessLogFile");
        await CallAsync(productpage, "while-on");
        await Eventually.Async($"a line for while-on in {log}", () => Task.FromResult(Read(log).Contains("\"while-on\"", StringComparison.Ordinal)));

        await DeleteAsync(harness, "MeshConfig", "istio-system", "istio");
        await Eventually.Async("the mesh config gone from productpage", async () =>
        {
            using var client = new HttpClient { Timeout = TestTimeouts.Default };
            return !(await client.GetStringAsync(new Uri(productpage.AdminAddress, "/config_dump"))).Contains("accessLogFile", StringComparison.Ordinal);
        });
        await CallAsync(productpage, "after");
        await productpage.DisposeAsync(); // drains the writer

        var text = Read(log);
        Assert.DoesNotContain("\"before\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"after\"", text, StringComparison.Ordinal);
        Assert.Contains("\"GET /hello HTTP/1.1\" 200 - ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigMapAccessLogFileWithFormat_WritesThatFileInThatFormatUnlessTelemetryDisables()
    {
        await using var harness = await MeshHarness.StartAsync();
        var file = Path.Combine(_logs.FullName, "mesh.log");
        var (reviews, productpage) = await StartPairAsync(harness, null);
        await harness.ApplyAsync($$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: istio, namespace: istio-system}
            data:
              mesh: |-
                accessLogFile: {{file}}
                accessLogFormat: "%REQ(:METHOD)% %REQ(:PATH)% %RESPONSE_CODE% id=%REQ(X-REQUEST-ID)% ua=%REQ(USER-AGENT):3%\n"
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: reviews-quiet, namespace: default}
            spec:
              selector:
                matchLabels:
                  app: reviews
              accessLogging:
              - disabled: true
            """);
        await MeshHarness.WaitForConfigAsync(productpage, "accessLogFormat");
        await MeshHarness.WaitForConfigAsync(reviews, "reviews-quiet");

        await CallAsync(productpage, "fmt-1");
        await productpage.DisposeAsync();
        await reviews.DisposeAsync();

        // The reviews Telemetry turns its log off (a Telemetry overrides mesh config), so only the client's line is there.
        var line = Assert.Single(Read(file).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("GET /hello 200 id=fmt-1 ua=tes", line);
    }

    [Fact]
    public async Task EnableTracingWithOpenTelemetryProvider_SpansReachTheCollector()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var harness = await MeshHarness.StartAsync();
        var (reviews, productpage) = await StartPairAsync(harness, null);
        await harness.ApplyAsync($$"""
            apiVersion: install.istio.io/v1alpha1
            kind: IstioOperator
            metadata: {name: tracing, namespace: istio-system}
            spec:
              meshConfig:
                enableTracing: true
                defaultConfig:
                  tracing: {sampling: 100}
                extensionProviders:
                - name: otel
                  opentelemetry:
                    service: 127.0.0.1
                    port: {{receiver.Address.Port}}
                    http: {path: /v1/traces}
                defaultProviders:
                  tracing: [otel]
            """);
        await MeshHarness.WaitForConfigAsync(productpage, "extensionProviders");
        await MeshHarness.WaitForConfigAsync(reviews, "extensionProviders");

        await CallAsync(productpage, "traced");
        await Eventually.Async("a client and a server span at the OTLP receiver", () => Task.FromResult(
            receiver.Spans.Any(s => s.Span.Kind == SpanKind.Client && s.Tag("guid:x-request-id") == "traced")
            && receiver.Spans.Any(s => s.Span.Kind == SpanKind.Server && s.Tag("guid:x-request-id") == "traced")));
        var client = Assert.Single(receiver.Spans, s => s.Span.Kind == SpanKind.Client);
        var server = Assert.Single(receiver.Spans, s => s.Span.Kind == SpanKind.Server);
        Assert.Equal(client.TraceId, server.TraceId);
        Assert.Equal(client.SpanId, server.ParentSpanId);
        Assert.Equal("productpage.default", client.Service);
        Assert.Equal(0, receiver.Rejected);
    }

    public void Dispose() => _logs.Delete(recursive: true);

    private static async Task<(RunningSidecar Reviews, RunningSidecar Productpage)> StartPairAsync(MeshHarness harness, Action<SidecarOptions>? configure)
    {
        var app = await harness.StartAppAsync("reviews");
        harness.ConfigureSidecar = configure;
        var reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);
        return (reviews, productpage);
    }

    private static async Task CallAsync(RunningSidecar client, string requestId)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.OutboundAddress, "/hello"));
        request.Headers.Host = "reviews";
        request.Headers.Add("x-request-id", requestId);
        request.Headers.UserAgent.ParseAdd("tester/1");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task DeleteAsync(MeshHarness harness, string kind, string @namespace, string name) =>
        await harness.Api.UnaryAsync("/runtime.mesh.v1.ConfigService/Delete", new V1.DeleteRequest { Kind = kind, Namespace = @namespace, Name = name }, V1.DeleteResponse.Parser, new GrpcCallOptions { Timeout = TestTimeouts.Default });

    private static string Read(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
