using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Telemetry;

/// <summary>The spec of a Telemetry resource: metrics, tracing and access logging for workloads.</summary>
public sealed record TelemetrySpec
{
    /// <summary>Workloads it applies to.</summary>
    public WorkloadSelector? Selector { get; init; }

    /// <summary>Resource it attaches to.</summary>
    public PolicyTargetReference? TargetRef { get; init; }

    /// <summary>Resources it attaches to.</summary>
    public IReadOnlyList<PolicyTargetReference>? TargetRefs { get; init; }

    /// <summary>Tracing settings.</summary>
    public IReadOnlyList<TracingConfig>? Tracing { get; init; }

    /// <summary>Metrics settings.</summary>
    public IReadOnlyList<MetricsConfig>? Metrics { get; init; }

    /// <summary>Access log settings.</summary>
    public IReadOnlyList<AccessLoggingConfig>? AccessLogging { get; init; }
}
