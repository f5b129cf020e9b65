namespace Runtime.Sidecar.Routing;

/// <summary>Answer directly, without calling any upstream.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The body, when the route has one (<c>body.string</c>, or <c>body.bytes</c> decoded as UTF-8).</param>
internal sealed record DirectResponse(int Status, string? Body) : RouteDecision;
