using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Sidecar.Tests.Tracing.Otlp;

namespace Runtime.Sidecar.Tests.Tracing;

/// <summary>
/// Tracing through two real sidecars (productpage's client sidecar → reviews' server sidecar → app) with sampling
/// set by a Telemetry resource on a real control plane, and spans exported over OTLP/HTTP to a real receiver.
/// </summary>
public sealed class TracingMeshTests
{
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";
    private const string CallerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpan = "00f067aa0ba902b7";

    private static readonly string[] Echoed = ["traceparent", "tracestate", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "b3", "x-request-id"];

    [Fact]
    public async Task FullSampling_W3CCaller_TwoSpansOneTraceAndHeadersForTheApp()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var mesh = await StartAsync(100, receiver.Address);

        using var response = await CallAsync(mesh.Productpage, ("traceparent", $"00-{CallerTrace}-{CallerSpan}-01"), ("tracestate", "vendor=x"), ("x-request-id", "req-1"), ("b3", "1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var spans = await SpansOfAsync(receiver, CallerTrace, 2);
        var client = Assert.Single(spans, s => s.Span.Kind == SpanKind.Client);
        var server = Assert.Single(spans, s => s.Span.Kind == SpanKind.Server);
        Assert.Equal(CallerSpan, client.ParentSpanId);
        Assert.Equal(client.SpanId, server.ParentSpanId);
        Assert.Equal("vendor=x", server.Span.TraceState);
        Assert.Equal("productpage.default", client.Service);
        Assert.Equal("reviews.default", server.Service);

        // The app sees the server sidecar's span as parent, in W3C and B3 (both forms the caller used).
        Assert.Equal($"00-{CallerTrace}-{server.SpanId}-01", Seen(response, "traceparent"));
        Assert.Equal("vendor=x", Seen(response, "tracestate"));
        Assert.Equal(CallerTrace, Seen(response, "x-b3-traceid"));
        Assert.Equal(server.SpanId, Seen(response, "x-b3-spanid"));
        Assert.Equal(client.SpanId, Seen(response, "x-b3-parentspanid"));
        Assert.Equal("1", Seen(response, "x-b3-sampled"));
        Assert.Equal($"{CallerTrace}-{server.SpanId}-1-{client.SpanId}", Seen(response, "b3"));
        Assert.Equal("req-1", Seen(response, "x-request-id"));

        // Envoy's span naming and Istio's tags.
        Assert.Equal($"{ReviewsFqdn}:80/*", client.Span.Name);
        Assert.Equal("outbound|80||" + ReviewsFqdn, client.Tag("upstream_cluster"));
        Assert.Equal($"inbound|{mesh.App.Address.Port}||", server.Tag("upstream_cluster"));
        foreach (var span in spans)
        {
            Assert.Equal("req-1", span.Tag("guid:x-request-id"));
            Assert.Equal("GET", span.Tag("http.method"));
            Assert.Equal("HTTP/1.1", span.Tag("http.protocol"));
            Assert.Equal("200", span.Tag("http.status_code"));
            Assert.Equal("-", span.Tag("response_flags"));
            Assert.Equal("proxy", span.Tag("component"));
            Assert.Equal("default", span.Tag("istio.namespace"));
            Assert.Equal("cluster.local", span.Tag("istio.mesh_id"));
            Assert.Equal("payments", span.Tag("team"));
            Assert.Equal("tester", span.Tag("user"));
            Assert.Equal("http://reviews/hello?x=1", span.Tag("http.url"));
            Assert.StartsWith("sidecar~127.0.0.1~", span.Tag("node_id"), StringComparison.Ordinal);
            foreach (var tag in new[] { "request_size", "response_size", "upstream_cluster.name", "downstream_cluster", "user_agent", "peer.address", "istio.canonical_revision" })
            {
                Assert.False(string.IsNullOrEmpty(span.Tag(tag)), $"tag {tag} missing on {span.Span.Kind} span");
            }

            Assert.Null(span.Tag("error"));
            // The app's "reviews" goes out chunked: the size is what crossed the wire, not a missing Content-Length.
            Assert.Equal("7", span.Tag("response_size"));
            Assert.Equal("0", span.Tag("request_size"));
        }

        Assert.Equal("productpage", client.Tag("istio.canonical_service"));
        Assert.Equal("reviews", server.Tag("istio.canonical_service"));
        Assert.Equal(0, receiver.Rejected);
    }

    [Fact]
    public async Task FullSampling_ChunkedRequestBody_SizeTagsAreWireBytes()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var mesh = await StartAsync(100, receiver.Address);
        const string trace = "5bf92f3577b34da6a3ce929d0e0e4736";

        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(mesh.Productpage.OutboundAddress, "/upload"));
        request.Headers.Host = "reviews";
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-{CallerSpan}-01");
        // No length known up front: the body goes out chunked, with no Content-Length on any hop.
        request.Content = new StreamContent(new NonSeekableStream(new byte[1234]));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(request.Content.Headers.ContentLength);

        var spans = await SpansOfAsync(receiver, trace, 2);
        Assert.All(spans, span => Assert.Equal("1234", span.Tag("request_size")));
        Assert.All(spans, span => Assert.Equal("7", span.Tag("response_size")));
    }

    [Fact]
    public async Task FullSampling_B3OnlyCallerWithoutRequestId_ContinuedAndRequestIdGeneratedOnce()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var mesh = await StartAsync(100, receiver.Address);
        const string b3Trace = "a3ce929d0e0e4736";

        using var response = await CallAsync(mesh.Productpage, ("X-B3-TraceId", b3Trace), ("X-B3-SpanId", CallerSpan), ("X-B3-Sampled", "1"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var spans = await SpansOfAsync(receiver, "0000000000000000" + b3Trace, 2);
        var client = Assert.Single(spans, s => s.Span.Kind == SpanKind.Client);
        var server = Assert.Single(spans, s => s.Span.Kind == SpanKind.Server);
        Assert.Equal(CallerSpan, client.ParentSpanId);
        Assert.Equal(client.SpanId, server.ParentSpanId);
        var requestId = Seen(response, "x-request-id");
        Assert.True(Guid.TryParse(requestId, out _), $"x-request-id '{requestId}' is not a UUID");
        Assert.All(spans, span => Assert.Equal(requestId, span.Tag("guid:x-request-id")));
        Assert.Equal("0000000000000000" + b3Trace, Seen(response, "x-b3-traceid"));
        Assert.Null(Seen(response, "b3"));
    }

    [Fact]
    public async Task ZeroSampling_NoSpansAndUnsampledPropagated_ButCallerDecisionRespected()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var mesh = await StartAsync(0, receiver.Address);

        using var unsampled = await CallAsync(mesh.Productpage, ("traceparent", "00-not-a-valid-traceparent-at-all-01"));
        using var sampled = await CallAsync(mesh.Productpage, ("traceparent", $"00-{CallerTrace}-{CallerSpan}-01"));
        Assert.Equal(HttpStatusCode.OK, unsampled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sampled.StatusCode);

        // A malformed traceparent started a new, unsampled trace; the caller's sampled one was continued and reported.
        var newTrace = Seen(unsampled, "traceparent")!;
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-00$", newTrace);
        Assert.Equal("0", Seen(unsampled, "x-b3-sampled"));
        Assert.Equal(2, (await SpansOfAsync(receiver, CallerTrace, 2)).Count);

        // Stopping the sidecars flushes their exporters: nothing of the unsampled trace ever arrives.
        await mesh.Productpage.DisposeAsync();
        await mesh.Reviews.DisposeAsync();
        Assert.DoesNotContain(receiver.Spans, s => s.TraceId == newTrace[3..35]);
        Assert.Equal(2, receiver.Spans.Count);
    }

    [Fact]
    public async Task GrpcProtocol_SpansReachAnOtlpGrpcReceiver()
    {
        await using var receiver = await OtlpReceiver.StartAsync(grpc: true);
        await using var mesh = await StartAsync(100, receiver.Address, Runtime.Sidecar.Tracing.TracingProtocol.Grpc);

        using var response = await CallAsync(mesh.Productpage, ("traceparent", $"00-{CallerTrace}-{CallerSpan}-01"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var spans = await SpansOfAsync(receiver, CallerTrace, 2);
        var client = Assert.Single(spans, s => s.Span.Kind == SpanKind.Client);
        Assert.Equal(client.SpanId, Assert.Single(spans, s => s.Span.Kind == SpanKind.Server).ParentSpanId);
        Assert.Equal(0, receiver.Rejected);
    }

    [Fact]
    public async Task FullSampling_AppAnswers503_BothSpansMarkedError()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var mesh = await StartAsync(100, receiver.Address);

        using var response = await CallAsync(mesh.Productpage, "/fail", ("traceparent", $"00-{CallerTrace}-{CallerSpan}-01"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

        var spans = await SpansOfAsync(receiver, CallerTrace, 2);
        Assert.All(spans, span =>
        {
            Assert.Equal("true", span.Tag("error"));
            Assert.Equal("503", span.Tag("http.status_code"));
            Assert.Equal(2, span.Span.Status.Code); // STATUS_CODE_ERROR
        });
    }

    [Fact]
    public async Task UnreachableCollector_RequestsStillSucceed()
    {
        // A port that was just free: connections to it are refused.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var mesh = await StartAsync(100, new Uri($"http://127.0.0.1:{port}"));

        for (var i = 0; i < 20; i++)
        {
            using var response = await CallAsync(mesh.Productpage, ("x-request-id", "u-" + i));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("u-" + i, Seen(response, "x-request-id"));
            Assert.EndsWith("-01", Seen(response, "traceparent"), StringComparison.Ordinal);
        }
    }

    private static string? Seen(HttpResponseMessage response, string header) =>
        response.Headers.TryGetValues("x-seen-" + header, out var values) ? string.Join(",", values) : null;

    private static async Task<List<ReceivedSpan>> SpansOfAsync(OtlpReceiver receiver, string traceId, int count)
    {
        await Eventually.Async($"{count} spans of trace {traceId} at the OTLP receiver", () => Task.FromResult(receiver.Spans.Count(s => s.TraceId == traceId) >= count));
        return [.. receiver.Spans.Where(s => s.TraceId == traceId)];
    }

    private static Task<HttpResponseMessage> CallAsync(RunningSidecar client, params (string Name, string Value)[] headers) => CallAsync(client, "/hello?x=1", headers);

    private static async Task<HttpResponseMessage> CallAsync(RunningSidecar client, string path, params (string Name, string Value)[] headers)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.OutboundAddress, path));
        request.Headers.Host = "reviews";
        request.Headers.Add("x-user", "tester");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await http.SendAsync(request);
    }

    /// <summary>A control plane with a mesh-wide tracing Telemetry, an echoing app, and the two sidecars exporting to <paramref name="collector"/>.</summary>
    private static async Task<Mesh> StartAsync(int samplingPercentage, Uri collector, Runtime.Sidecar.Tracing.TracingProtocol protocol = Runtime.Sidecar.Tracing.TracingProtocol.HttpProtobuf)
    {
        var harness = await MeshHarness.StartAsync();
        var app = await TestServer.StartAsync(context =>
        {
            foreach (var header in Echoed)
            {
                if (context.Request.Headers.TryGetValue(header, out var value))
                {
                    context.Response.Headers["x-seen-" + header] = value;
                }
            }

            context.Response.StatusCode = context.Request.Path == "/fail" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
            return context.Response.WriteAsync("reviews");
        });
        var mesh = new Mesh(harness, app);
        await harness.ApplyAsync($$"""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-tracing, namespace: istio-system}
            spec:
              tracing:
              - randomSamplingPercentage: {{samplingPercentage}}
                customTags:
                  team:
                    literal: {value: payments}
                  user:
                    header: {name: x-user}
            """);
        harness.ConfigureSidecar = options => (options.TracingEndpoint, options.TracingProtocol) = (collector, protocol);
        mesh.Reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        mesh.Productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(mesh.Productpage, ReviewsFqdn, 1);
        await MeshHarness.WaitForConfigAsync(mesh.Reviews, "mesh-tracing");
        await MeshHarness.WaitForConfigAsync(mesh.Productpage, "mesh-tracing");
        return mesh;
    }

    private sealed class Mesh(MeshHarness harness, TestServer app) : IAsyncDisposable
    {
        public TestServer App => app;

        public RunningSidecar Reviews { get; set; } = null!;

        public RunningSidecar Productpage { get; set; } = null!;

        public async ValueTask DisposeAsync()
        {
            await harness.DisposeAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>A body whose length the client cannot know in advance, so it is sent chunked.</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
