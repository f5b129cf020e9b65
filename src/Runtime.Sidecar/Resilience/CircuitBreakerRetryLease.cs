namespace Runtime.Sidecar.Resilience;

/// <summary>
/// One admitted retry (see <see cref="ClusterResilience.TryEnterRetry"/>), counted against <c>http.maxRetries</c>
/// until disposed. Dispose exactly once; <c>default</c> does nothing.
/// </summary>
internal readonly struct CircuitBreakerRetryLease : IDisposable
{
    private readonly ClusterResilience? _owner;

    internal CircuitBreakerRetryLease(ClusterResilience owner) => _owner = owner;

    /// <summary>Ends the retry.</summary>
    public void Dispose() => _owner?.ExitRetry();
}
