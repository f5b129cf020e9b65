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

    /// <summary>Ramp-up of new endpoints with a shape; supersedes <c>warmupDurationSecs</c>.</summary>
    public WarmupSettings? Warmup { get; init; }
}
