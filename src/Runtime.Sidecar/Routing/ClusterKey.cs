namespace Runtime.Sidecar.Routing;

/// <summary>
/// Names an upstream cluster the way Istio does (<c>outbound|port|subset|host</c>): the service host, the subset
/// (or null for the whole service) and the requested service port. In this mesh every endpoint listens on its
/// sidecar's inbound port, so <see cref="Port"/> selects port-level policy, not the endpoint port.
/// </summary>
/// <param name="Host">Fully qualified service host, lower case.</param>
/// <param name="Subset">DestinationRule subset name, or null.</param>
/// <param name="Port">The service port the request was addressed to.</param>
internal readonly record struct ClusterKey(string Host, string? Subset, int Port)
{
    /// <summary>Istio's cluster name, <c>outbound|9080|v1|reviews.default.svc.cluster.local</c>.</summary>
    public override string ToString() => $"outbound|{Port}|{Subset}|{Host}";
}
