namespace Runtime.Abstractions.Telemetry;

/// <summary>Selects metrics.</summary>
public sealed record MetricSelector
{
    /// <summary>A standard metric.</summary>
    public IstioMetric? Metric { get; init; }

    /// <summary>A custom metric by name.</summary>
    public string? CustomMetric { get; init; }

    /// <summary>Which side.</summary>
    public WorkloadMode? Mode { get; init; }
}
