using System.Text.Json;

namespace Runtime.Abstractions.Mesh;

/// <summary>One MeshConfig <c>extensionProviders</c> entry: a name and exactly one provider kind.</summary>
public sealed record ExtensionProvider
{
    /// <summary>The name Telemetry <c>providers[].name</c> and <c>defaultProviders</c> refer to.</summary>
    public string? Name { get; init; }

    /// <summary>An OTLP trace collector.</summary>
    public OpenTelemetryProvider? Opentelemetry { get; init; }

    /// <summary>An access-log file.</summary>
    public FileAccessLogProvider? EnvoyFileAccessLog { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnvoyExtAuthzHttp { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnvoyExtAuthzGrpc { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Zipkin { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Lightstep { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Datadog { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Stackdriver { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Opencensus { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Skywalking { get; init; }

    /// <summary>Accepted: the sidecar's Prometheus endpoint is always served.</summary>
    public JsonElement? Prometheus { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnvoyHttpAls { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnvoyTcpAls { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnvoyOtelAls { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Sds { get; init; }
}
