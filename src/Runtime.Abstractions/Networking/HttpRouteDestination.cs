namespace Runtime.Abstractions.Networking;

/// <summary>A weighted destination of an HTTP route.</summary>
public sealed record HttpRouteDestination
{
    /// <summary>Where the traffic goes.</summary>
    public Destination? Destination { get; init; }

    /// <summary>Relative share of traffic; assumed 100 when the route has one destination.</summary>
    public int? Weight { get; init; }

    /// <summary>Header changes for traffic to this destination.</summary>
    public HeaderOperations? Headers { get; init; }
}
