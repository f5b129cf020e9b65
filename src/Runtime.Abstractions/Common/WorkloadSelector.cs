namespace Runtime.Abstractions.Common;

/// <summary>Selects workloads in the resource's namespace by their pod labels.</summary>
public sealed record WorkloadSelector
{
    /// <summary>Labels a workload must carry (all of them) to be selected.</summary>
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }
}
