namespace Runtime.Abstractions.Mesh;

/// <summary>MeshConfig <c>defaultProviders</c>: provider names used when a Telemetry names none.</summary>
public sealed record DefaultProviders
{
    /// <summary>Tracing providers.</summary>
    public IReadOnlyList<string>? Tracing { get; init; }

    /// <summary>Metrics providers.</summary>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>Access-log providers.</summary>
    public IReadOnlyList<string>? AccessLogging { get; init; }
}
