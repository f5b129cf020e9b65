namespace Runtime.Sidecar.Routing;

/// <summary>Answer with a redirect.</summary>
/// <param name="Status">301 unless the route set <c>redirectCode</c>.</param>
/// <param name="Location">The absolute URL for the <c>Location</c> header.</param>
internal sealed record Redirect(int Status, string Location) : RouteDecision;
