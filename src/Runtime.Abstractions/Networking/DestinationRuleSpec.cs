using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>The spec of a DestinationRule: policies applied to traffic for a host after routing.</summary>
public sealed record DestinationRuleSpec
{
    /// <summary>Service the rule applies to.</summary>
    public string? Host { get; init; }

    /// <summary>Policies for all ports and subsets.</summary>
    public TrafficPolicy? TrafficPolicy { get; init; }

    /// <summary>Named groups of endpoints selected by label.</summary>
    public IReadOnlyList<Subset>? Subsets { get; init; }

    /// <summary>Namespaces the rule is visible to.</summary>
    public IReadOnlyList<string>? ExportTo { get; init; }

    /// <summary>Workloads the rule applies to, when not all.</summary>
    public WorkloadSelector? WorkloadSelector { get; init; }
}
