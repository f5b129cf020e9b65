using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>How an endpoint is picked.</summary>
public sealed record LoadBalancerSettings
{
    /// <summary>A standard algorithm.</summary>
    public SimpleLoadBalancer? Simple { get; init; }

    /// <summary>Sticky picking by a request property.</summary>
    public ConsistentHashSettings? ConsistentHash { get; init; }

    /// <summary>Locality-aware weighting and failover.</summary>
    public LocalityLbSetting? LocalityLbSetting { get; init; }

    /// <summary>Ramp-up period for new endpoints.</summary>
    public MeshDuration? WarmupDurationSecs { get; init; }
}
