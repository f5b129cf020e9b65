namespace Runtime.Abstractions.Telemetry;

/// <summary>Changes to one or more metrics.</summary>
public sealed record MetricsOverride
{
    /// <summary>Which metrics.</summary>
    public MetricSelector? Match { get; init; }

    /// <summary>Turns the metrics off.</summary>
    public bool? Disabled { get; init; }

    /// <summary>Tags added, changed or removed.</summary>
    public IReadOnlyDictionary<string, TagOverride>? TagOverrides { get; init; }
}
