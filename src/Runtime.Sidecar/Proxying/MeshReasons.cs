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
}
