using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Sidecar.Tests.Tracing.Otlp;

namespace Runtime.Sidecar.Tests.Tracing;

/// <summary>
/// A real OTLP/HTTP trace receiver on 127.0.0.1: accepts <c>POST /v1/traces</c> with <c>application/x-protobuf</c>
/// bodies, decodes them with the test's own OTLP .proto and keeps every span with its resource's service name.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private TestServer _server = null!;

    /// <summary>The base URL to give a sidecar's <c>--tracing-endpoint</c>.</summary>
    public Uri Address => _server.Address;

    /// <summary>Requests that were not OTLP/HTTP protobuf trace exports.</summary>
    public int Rejected { get; private set; }

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._server = await TestServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Method != HttpMethods.Post || context.Request.Path != "/v1/traces" || context.Request.ContentType != "application/x-protobuf")
        {
            Rejected++;
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var export = ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray());
        foreach (var resource in export.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue;
            foreach (var span in resource.ScopeSpans.SelectMany(scope => scope.Spans))
            {
                _spans.Enqueue(new ReceivedSpan(service, span));
            }
        }

        // An empty ExportTraceServiceResponse: full success.
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(Array.Empty<byte>(), context.RequestAborted);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>One exported span and the service name of its resource.</summary>
internal sealed record ReceivedSpan(string? Service, Span Span)
{
    public string TraceId => Hex(Span.TraceId);

    public string SpanId => Hex(Span.SpanId);

    public string ParentSpanId => Hex(Span.ParentSpanId);

    public string? Tag(string key) => Span.Attributes.FirstOrDefault(a => a.Key == key)?.Value.StringValue;

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);
}
