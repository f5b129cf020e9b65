namespace Runtime.Sidecar.Resilience;

/// <summary>One endpoint's resilience state at one moment.</summary>
/// <param name="Address">Address.</param>
/// <param name="Port">Port.</param>
/// <param name="InFlight">Requests in flight.</param>
/// <param name="Http1InFlight">HTTP/1.1 requests in flight (beyond maxConnections they wait for a connection).</param>
/// <param name="Ejected">Whether ejected now.</param>
/// <param name="Multiplier">The current ejection-time multiplier.</param>
/// <param name="TotalEjections">Ejections since the sidecar started.</param>
/// <param name="EjectedAt">When the current or last ejection started.</param>
/// <param name="EjectedUntil">When the current or last ejection ends.</param>
/// <param name="Reason">Why it was last ejected.</param>
/// <param name="Consecutive5xx">Current run of 5xx.</param>
/// <param name="ConsecutiveGateway">Current run of gateway errors.</param>
/// <param name="ConsecutiveLocalOrigin">Current run of local-origin failures.</param>
internal sealed record ClusterResilienceEndpointSnapshot(
    string Address,
    int Port,
    int InFlight,
    int Http1InFlight,
    bool Ejected,
    int Multiplier,
    int TotalEjections,
    DateTimeOffset? EjectedAt,
    DateTimeOffset? EjectedUntil,
    string? Reason,
    int Consecutive5xx,
    int ConsecutiveGateway,
    int ConsecutiveLocalOrigin);
