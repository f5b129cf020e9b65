namespace Runtime.Sidecar.Proxying;

/// <summary>Envoy's response-flag words for responses the mesh itself generates (sent in <c>x-mesh-reason</c>).</summary>
internal static class MeshReasons
{
    /// <summary>No route: no service, ServiceEntry or VirtualService matches, or no rule of the VirtualService does.</summary>
    public const string NoRoute = "NR";

    /// <summary>No healthy upstream endpoint.</summary>
    public const string NoHealthyUpstream = "UH";

    /// <summary>Upstream overflow: a connection-pool limit (circuit breaker) refused the request.</summary>
    public const string Overflow = "UO";

    /// <summary>The sidecar has no configuration yet (never reached the control plane, nothing persisted).</summary>
    public const string NoConfig = "NC";

    /// <summary>The request could not be understood (bad target).</summary>
    public const string BadRequest = "DPE";

    /// <summary>The upstream did not answer within the route timeout (or the last per-try timeout).</summary>
    public const string UpstreamTimeout = "UT";

    /// <summary>Retries were exhausted and the last try ended without a response.</summary>
    public const string RetryLimitExceeded = "URX";

    /// <summary>No connection to the upstream could be made.</summary>
    public const string UpstreamConnectFailure = "UF";

    /// <summary>The upstream connection or stream ended before a response.</summary>
    public const string UpstreamConnectionTermination = "UC";

    /// <summary>The request was aborted by fault injection.</summary>
    public const string FaultInjected = "FI";

    /// <summary>The request was delayed by fault injection (logged; responses carry <c>x-mesh-fault-delay</c>).</summary>
    public const string DelayInjected = "DI";

    /// <summary>The downstream client went away; nothing is written.</summary>
    public const string DownstreamDisconnect = "DC";

    /// <summary>A TCP tunnel reached its <c>connectionPool.tcp.maxConnectionDuration</c> and was closed (Envoy's flag).</summary>
    public const string DurationTimeout = "DT";
}
