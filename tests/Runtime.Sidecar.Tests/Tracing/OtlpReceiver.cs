using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Sidecar.Tests.Tracing.Otlp;

namespace Runtime.Sidecar.Tests.Tracing;

/// <summary>
/// A real OTLP trace receiver on 127.0.0.1: OTLP/HTTP (<c>POST /v1/traces</c> with <c>application/x-protobuf</c>
/// bodies) or OTLP/gRPC (h2c, <c>TraceService/Export</c>); decodes with the test's own OTLP .proto and keeps every
/// span with its resource's service name.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private const string GrpcExport = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private TestServer _server = null!;

    /// <summary>The base URL to give a sidecar's <c>--tracing-endpoint</c>.</summary>
    public Uri Address => _server.Address;

    /// <summary>Requests that were not OTLP/HTTP protobuf trace exports.</summary>
    public int Rejected { get; private set; }

    public IReadOnlyList<ReceivedSpan> Spans => [.. _spans];

    public static async Task<OtlpReceiver> StartAsync(bool grpc = false)
    {
        var receiver = new OtlpReceiver();
        receiver._server = grpc
            ? await TestServer.StartAsync(receiver.HandleGrpcAsync, Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2)
            : await TestServer.StartAsync(receiver.HandleAsync);
        return receiver;
    }

    // gRPC framing: a 1-byte compressed flag and a 4-byte big-endian length before each message; status in trailers.
    private async Task HandleGrpcAsync(HttpContext context)
    {
        if (context.Request.Method != HttpMethods.Post || context.Request.Path != GrpcExport || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            Rejected++;
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.ToArray();
        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4));
        if (bytes[0] != 0 || length != bytes.Length - 5)
        {
            Rejected++;
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Keep(ExportTraceServiceRequest.Parser.ParseFrom(bytes, 5, length));
        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", "0");
        await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
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
        Keep(ExportTraceServiceRequest.Parser.ParseFrom(body.ToArray()));

        // An empty ExportTraceServiceResponse: full success.
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(Array.Empty<byte>(), context.RequestAborted);
    }

    private void Keep(ExportTraceServiceRequest export)
    {
        foreach (var resource in export.ResourceSpans)
        {
            var service = resource.Resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.StringValue;
            foreach (var span in resource.ScopeSpans.SelectMany(scope => scope.Spans))
            {
                _spans.Enqueue(new ReceivedSpan(service, span));
            }
        }
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
