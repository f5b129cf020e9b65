using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// The request limits of a DestinationRule's <c>connectionPool</c> (Envoy's circuit-breaker thresholds). Unset
/// fields are unlimited, as in Istio (2³²−1). Value equality.
/// </summary>
/// <param name="MaxConnections"><c>tcp.maxConnections</c>: connections per endpoint; HTTP/1.1 requests beyond it wait for one.</param>
/// <param name="MaxPendingRequests"><c>http.http1MaxPendingRequests</c>: HTTP/1.1 requests waiting for a connection, whole cluster.</param>
/// <param name="MaxRequests"><c>http.http2MaxRequests</c>: requests in flight, whole cluster, any protocol.</param>
/// <param name="MaxRetries"><c>http.maxRetries</c>: retries in flight, whole cluster.</param>
internal sealed record CircuitBreakerLimits(int MaxConnections, int MaxPendingRequests, int MaxRequests, int MaxRetries)
{
    /// <summary>No limits.</summary>
    public static readonly CircuitBreakerLimits Unlimited = new(int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue);

    /// <summary>Reads the limits; 0 or unset means unlimited (Istio rejects negative values at validation).</summary>
    public static CircuitBreakerLimits From(ConnectionPoolSettings? pool) =>
        pool is null
            ? Unlimited
            : new CircuitBreakerLimits(
                Limit(pool.Tcp?.MaxConnections),
                Limit(pool.Http?.Http1MaxPendingRequests),
                Limit(pool.Http?.Http2MaxRequests),
                Limit(pool.Http?.MaxRetries));

    private static int Limit(int? value) => value is > 0 and var v ? v : int.MaxValue;
}
