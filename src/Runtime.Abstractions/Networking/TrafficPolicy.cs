namespace Runtime.Abstractions.Networking;

/// <summary>Load balancing, connection pool, outlier detection and TLS for a destination.</summary>
public sealed record TrafficPolicy
{
    /// <summary>Endpoint picking.</summary>
    public LoadBalancerSettings? LoadBalancer { get; init; }

    /// <summary>Connection and request limits.</summary>
    public ConnectionPoolSettings? ConnectionPool { get; init; }

    /// <summary>Ejection of failing endpoints.</summary>
    public OutlierDetection? OutlierDetection { get; init; }

    /// <summary>TLS towards the upstream.</summary>
    public ClientTlsSettings? Tls { get; init; }

    /// <summary>Per-port overrides.</summary>
    public IReadOnlyList<PortTrafficPolicy>? PortLevelSettings { get; init; }

    /// <summary>Tunnels the connection through a proxy.</summary>
    public TunnelSettings? Tunnel { get; init; }

    /// <summary>Sends a PROXY protocol header upstream.</summary>
    public ProxyProtocolSettings? ProxyProtocol { get; init; }

    /// <summary>Caps retries to a share of active requests.</summary>
    public RetryBudget? RetryBudget { get; init; }
}
