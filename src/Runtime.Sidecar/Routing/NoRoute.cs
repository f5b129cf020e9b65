namespace Runtime.Sidecar.Routing;

/// <summary>No route for the request; answer 404 with response flag <c>NR</c>.</summary>
/// <param name="Reason">Why, naming the host (and the VirtualService when one was consulted).</param>
internal sealed record NoRoute(string Reason) : RouteDecision;
