namespace Runtime.Abstractions.Discovery;

/// <summary>
/// One sidecar's outlier-detection view of one upstream endpoint, as reported to the control plane and shown by
/// <c>meshctl proxy-config endpoints</c>. Only endpoints with something to say (ejected now, or ejected before)
/// are reported.
/// </summary>
/// <param name="Host">The service host of the cluster the endpoint belongs to, e.g. <c>reviews.default.svc.cluster.local</c>.</param>
/// <param name="Address">The endpoint's address.</param>
/// <param name="Port">The endpoint's port.</param>
/// <param name="Ejected">Whether the endpoint is ejected right now.</param>
/// <param name="EjectionCount">How many times the endpoint has been ejected (drives the growing ejection time).</param>
/// <param name="EjectedUntil">When the current ejection ends, or null when not ejected.</param>
/// <param name="Reason">Why it was last ejected, e.g. <c>5 consecutive 5xx</c>, or null.</param>
public sealed record EndpointOutlierStatus(string Host, string Address, int Port, bool Ejected, int EjectionCount, DateTimeOffset? EjectedUntil, string? Reason);
