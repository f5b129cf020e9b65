namespace Runtime.Sidecar.Routing;

/// <summary>
/// What to do with a request: <see cref="NoRoute"/>, <see cref="Redirect"/>, <see cref="DirectResponse"/> or
/// <see cref="Forward"/>.
/// </summary>
internal abstract record RouteDecision;
