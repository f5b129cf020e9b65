namespace Runtime.Sidecar.Resilience;

/// <summary>
/// One endpoint's long-lived state inside a <see cref="ClusterResilience"/>: in-flight counts for circuit breaking
/// and the outlier-detection counters and ejection. Keyed by address and port, so it survives config pushes that
/// rebuild the endpoint objects. Counters are guarded by the instance lock except the in-flight counts (atomic).
/// </summary>
internal sealed class ClusterResilienceEndpoint(string address, int port)
{
    /// <summary>Guards the outlier fields.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The endpoint's address.</summary>
    public string Address { get; } = address;

    /// <summary>The endpoint's port.</summary>
    public int Port { get; } = port;

    /// <summary>Requests in flight on this endpoint (any protocol).</summary>
    public int InFlight;

    /// <summary>HTTP/1.1 requests in flight (each needs its own connection; beyond maxConnections they wait).</summary>
    public int Http1InFlight;

    /// <summary>5xx responses in a row (local-origin failures too, when not split).</summary>
    public int Consecutive5xx;

    /// <summary>502/503/504 responses in a row (local-origin failures too, when not split).</summary>
    public int ConsecutiveGateway;

    /// <summary>Local-origin failures in a row (only counted when split).</summary>
    public int ConsecutiveLocalOrigin;

    /// <summary>Requests reported since the last interval sweep (for the minRequestVolume extension).</summary>
    public int RequestsThisInterval;

    /// <summary>Whether the endpoint is ejected now.</summary>
    public bool Ejected;

    /// <summary>The ejection-time multiplier: up by one per ejection (until past the cap), down by one per interval spent healthy.</summary>
    public int Multiplier;

    /// <summary>Times this endpoint was ejected since the sidecar started.</summary>
    public int TotalEjections;

    /// <summary>When the current (or last) ejection started.</summary>
    public DateTimeOffset? EjectedAt;

    /// <summary>When the current (or last) ejection ends; readmission happens at the first sweep after it.</summary>
    public DateTimeOffset? EjectedUntil;

    /// <summary>Why the endpoint was last ejected.</summary>
    public string? Reason;

    /// <summary>Clears the consecutive-failure counters (on ejection and readmission).</summary>
    public void ResetCounters()
    {
        Consecutive5xx = 0;
        ConsecutiveGateway = 0;
        ConsecutiveLocalOrigin = 0;
    }
}
