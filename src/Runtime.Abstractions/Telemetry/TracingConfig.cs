namespace Runtime.Abstractions.Telemetry;

/// <summary>Tracing settings.</summary>
public sealed record TracingConfig
{
    /// <summary>Which side reports spans.</summary>
    public WorkloadModeSelector? Match { get; init; }

    /// <summary>Tracing providers.</summary>
    public IReadOnlyList<ProviderRef>? Providers { get; init; }

    /// <summary>Share of requests traced, 0 to 100.</summary>
    public double? RandomSamplingPercentage { get; init; }

    /// <summary>Stops reporting spans.</summary>
    public bool? DisableSpanReporting { get; init; }

    /// <summary>Extra span tags by name.</summary>
    public IReadOnlyDictionary<string, CustomTag>? CustomTags { get; init; }

    /// <summary>Whether Istio's own tags (such as the canonical service) are added to spans.</summary>
    public bool? EnableIstioTags { get; init; }

    /// <summary>Samples on the request id.</summary>
    public bool? UseRequestIdForTraceSampling { get; init; }
}
