namespace Runtime.Sidecar.Resilience;

/// <summary>
/// One admitted request attempt (see <see cref="ClusterResilience.TryEnterRequest"/>): counted against the
/// cluster's limits until disposed. Dispose exactly once; <c>default</c> is an empty lease whose dispose does nothing.
/// </summary>
internal readonly struct CircuitBreakerLease : IDisposable
{
    private readonly ClusterResilience? _owner;
    private readonly ClusterResilienceEndpoint? _endpoint;
    private readonly ConnectionPoolClient? _client;
    private readonly bool _http1;

    internal CircuitBreakerLease(ClusterResilience owner, ClusterResilienceEndpoint? endpoint, ConnectionPoolClient? client, bool http1)
    {
        _owner = owner;
        _endpoint = endpoint;
        _client = client;
        _http1 = http1;
    }

    /// <summary>The cluster's pooled client for this attempt, or null for the forwarder's shared one.</summary>
    public HttpMessageInvoker? Client => _client?.Invoker;

    /// <summary>Ends the attempt: frees its place in the limits and its reference on the client.</summary>
    public void Dispose() => _owner?.ExitRequest(_endpoint, _client, _http1);
}
