using System.Text.Json;

namespace Runtime.Abstractions.Mesh;

/// <summary>An <c>opentelemetry</c> extension provider: spans go to <c>service:port</c> over OTLP.</summary>
public sealed record OpenTelemetryProvider
{
    /// <summary>Collector host, for example <c>otel-collector.observability.svc.cluster.local</c>.</summary>
    public string? Service { get; init; }

    /// <summary>Collector port.</summary>
    public int? Port { get; init; }

    /// <summary>OTLP/HTTP settings; without them spans go over OTLP/gRPC, as in Istio.</summary>
    public OtlpHttpSettings? Http { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Grpc { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? MaxTagLength { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ResourceDetectors { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DynatraceSampler { get; init; }
}
