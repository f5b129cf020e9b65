namespace Runtime.Abstractions.Networking;

/// <summary>A weighted destination of a TCP or TLS route.</summary>
public sealed record RouteDestination
{
    /// <summary>Where the traffic goes.</summary>
    public Destination? Destination { get; init; }

    /// <summary>Relative share of traffic.</summary>
    public int? Weight { get; init; }
}
