using System.Text.Json;

namespace Runtime.Abstractions.Mesh;

/// <summary>MeshConfig <c>defaultConfig.tracing</c>; only <c>sampling</c> is applied.</summary>
public sealed record ProxyTracing
{
    /// <summary>Share of requests traced, 0 to 100 (a Telemetry <c>randomSamplingPercentage</c> overrides it).</summary>
    public double? Sampling { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Zipkin { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Lightstep { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Datadog { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Stackdriver { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? OpenCensusAgent { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? CustomTags { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? MaxPathTagLength { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? TlsSettings { get; init; }
}
