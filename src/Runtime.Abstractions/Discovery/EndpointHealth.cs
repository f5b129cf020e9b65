namespace Runtime.Abstractions.Discovery;

/// <summary>Whether an endpoint should receive new requests.</summary>
public enum EndpointHealth
{
    /// <summary>Serving; eligible for new requests.</summary>
    Healthy,

    /// <summary>Failing; receives traffic only in panic mode.</summary>
    Unhealthy,

    /// <summary>Deregistering: finishes in-flight requests and receives no new ones.</summary>
    Draining,
}
