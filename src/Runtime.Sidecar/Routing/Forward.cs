namespace Runtime.Sidecar.Routing;

/// <summary>Forward the request to a cluster; the endpoint is picked separately by the cluster's balancer.</summary>
/// <param name="Target">The chosen weighted destination.</param>
/// <param name="Actions">What to do to the request and response on the way (rewrites, headers, mirrors, ...).</param>
internal sealed record Forward(RouteTarget Target, RouteActions Actions) : RouteDecision;
