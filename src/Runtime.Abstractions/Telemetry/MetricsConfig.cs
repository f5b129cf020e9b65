using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Telemetry;

/// <summary>Metrics settings.</summary>
public sealed record MetricsConfig
{
    /// <summary>Metrics providers.</summary>
    public IReadOnlyList<ProviderRef>? Providers { get; init; }

    /// <summary>Changes to standard metrics.</summary>
    public IReadOnlyList<MetricsOverride>? Overrides { get; init; }

    /// <summary>How often metrics are reported.</summary>
    public MeshDuration? ReportingInterval { get; init; }
}
