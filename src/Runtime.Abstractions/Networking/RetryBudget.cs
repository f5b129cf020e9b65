namespace Runtime.Abstractions.Networking;

/// <summary>Limits concurrent retries to a share of active requests.</summary>
public sealed record RetryBudget
{
    /// <summary>Retries allowed, as a percentage of active requests.</summary>
    public double? Percent { get; init; }

    /// <summary>Retries always allowed, whatever the percentage gives.</summary>
    public int? MinRetryConcurrency { get; init; }
}
