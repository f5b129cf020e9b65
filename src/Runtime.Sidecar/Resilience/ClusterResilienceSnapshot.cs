namespace Runtime.Sidecar.Resilience;

/// <summary>A cluster's resilience counters and endpoint states at one moment (for <c>/clusters</c>).</summary>
/// <param name="Name">Istio's cluster name, <c>outbound|9080|v1|reviews.default.svc.cluster.local</c>.</param>
/// <param name="Limits">The circuit-breaker limits.</param>
/// <param name="Outlier">The outlier-detection settings, or null when off.</param>
/// <param name="Pooled">Whether the cluster has its own pooled client (else the forwarder's shared one).</param>
/// <param name="ActiveRequests">Requests in flight.</param>
/// <param name="PendingRequests">HTTP/1.1 requests waiting for a connection.</param>
/// <param name="ActiveRetries">Retries in flight.</param>
/// <param name="RequestOverflows">Requests refused by http2MaxRequests.</param>
/// <param name="PendingOverflows">Requests refused by http1MaxPendingRequests.</param>
/// <param name="RetryOverflows">Retries refused by maxRetries.</param>
/// <param name="Endpoints">The endpoints.</param>
internal sealed record ClusterResilienceSnapshot(
    string Name,
    CircuitBreakerLimits Limits,
    OutlierSettings? Outlier,
    bool Pooled,
    int ActiveRequests,
    int PendingRequests,
    int ActiveRetries,
    long RequestOverflows,
    long PendingOverflows,
    long RetryOverflows,
    IReadOnlyList<ClusterResilienceEndpointSnapshot> Endpoints);
