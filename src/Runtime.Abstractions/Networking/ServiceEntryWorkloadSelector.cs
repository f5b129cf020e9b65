namespace Runtime.Abstractions.Networking;

/// <summary>Selects workloads by label.</summary>
public sealed record ServiceEntryWorkloadSelector
{
    /// <summary>Labels a workload must carry.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
