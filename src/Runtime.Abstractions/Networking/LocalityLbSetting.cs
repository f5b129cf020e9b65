namespace Runtime.Abstractions.Networking;

/// <summary>Locality-weighted load balancing and failover.</summary>
public sealed record LocalityLbSetting
{
    /// <summary>Turns locality load balancing on or off.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Explicit traffic shares per locality.</summary>
    public IReadOnlyList<LocalityDistribution>? Distribute { get; init; }

    /// <summary>Where traffic goes when a region is unhealthy.</summary>
    public IReadOnlyList<LocalityFailover>? Failover { get; init; }

    /// <summary>Ordered labels used to prioritise endpoints.</summary>
    public IReadOnlyList<string>? FailoverPriority { get; init; }
}
