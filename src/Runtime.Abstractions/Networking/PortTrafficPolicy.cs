namespace Runtime.Abstractions.Networking;

/// <summary>Policies for one port of a destination.</summary>
public sealed record PortTrafficPolicy
{
    /// <summary>The port.</summary>
    public PortSelector? Port { get; init; }

    /// <summary>Endpoint picking.</summary>
    public LoadBalancerSettings? LoadBalancer { get; init; }

    /// <summary>Connection and request limits.</summary>
    public ConnectionPoolSettings? ConnectionPool { get; init; }

    /// <summary>Ejection of failing endpoints.</summary>
    public OutlierDetection? OutlierDetection { get; init; }

    /// <summary>TLS towards the upstream.</summary>
    public ClientTlsSettings? Tls { get; init; }
}
