using System.Diagnostics.CodeAnalysis;
using Runtime.Abstractions.Discovery;

namespace Runtime.Sidecar.Resilience;

/// <summary>Circuit breaking: admission of requests and retries against the connection-pool limits.</summary>
internal sealed partial class ClusterResilience
{
    private int _active;
    private int _pending;
    private int _retries;
    private long _overflowRequests;
    private long _overflowPending;
    private long _overflowRetries;

    /// <summary>Requests in flight, whole cluster.</summary>
    public int ActiveRequests => Volatile.Read(ref _active);

    /// <summary>HTTP/1.1 requests waiting for a connection (in flight beyond maxConnections on their endpoint).</summary>
    public int PendingRequests => Volatile.Read(ref _pending);

    /// <summary>Retries in flight.</summary>
    public int ActiveRetries => Volatile.Read(ref _retries);

    /// <summary>Requests refused by http2MaxRequests.</summary>
    public long RequestOverflows => Interlocked.Read(ref _overflowRequests);

    /// <summary>Requests refused by http1MaxPendingRequests.</summary>
    public long PendingOverflows => Interlocked.Read(ref _overflowPending);

    /// <summary>Retries refused by maxRetries.</summary>
    public long RetryOverflows => Interlocked.Read(ref _overflowRetries);

    /// <summary>
    /// Admits one request (or retry attempt) to <paramref name="endpoint"/>, as Envoy's circuit breakers do: refused
    /// when http2MaxRequests requests are already in flight, or when it is an HTTP/1.1 request that would wait for
    /// one of the endpoint's maxConnections connections while http1MaxPendingRequests requests already wait. Nothing
    /// is queued here: a refusal is immediate and the caller answers 503 <c>UO</c> with <paramref name="overflow"/>.
    /// On success dispose <paramref name="lease"/> exactly once when the attempt ends; send through
    /// <see cref="CircuitBreakerLease.Client"/>. Allocation-free when admitted.
    /// </summary>
    /// <param name="endpoint">The picked endpoint.</param>
    /// <param name="http2Upstream">Whether the attempt goes upstream as HTTP/2 (multiplexed: never waits for a connection).</param>
    /// <param name="lease">The admission, to dispose when the attempt ends.</param>
    /// <param name="overflow">Why the request was refused.</param>
    public bool TryEnterRequest(MeshEndpoint endpoint, bool http2Upstream, out CircuitBreakerLease lease, [NotNullWhen(false)] out string? overflow)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var limits = Limits;
        var active = Interlocked.Increment(ref _active);
        if (active > limits.MaxRequests)
        {
            Interlocked.Decrement(ref _active);
            Interlocked.Increment(ref _overflowRequests);
            lease = default;
            overflow = $"connection pool overflow for {Name}: {active - 1} requests in flight, http2MaxRequests {limits.MaxRequests}";
            return false;
        }

        var state = Find(endpoint);
        var http1 = !http2Upstream && state is not null;
        if (http1 && Interlocked.Increment(ref state!.Http1InFlight) > limits.MaxConnections)
        {
            var pending = Interlocked.Increment(ref _pending);
            if (pending > limits.MaxPendingRequests)
            {
                DecrementPending();
                Interlocked.Decrement(ref state.Http1InFlight);
                Interlocked.Decrement(ref _active);
                Interlocked.Increment(ref _overflowPending);
                lease = default;
                overflow = $"connection pool overflow for {Name}: {pending - 1} requests waiting for a connection, http1MaxPendingRequests {limits.MaxPendingRequests} (maxConnections {limits.MaxConnections} busy on {state.Address}:{state.Port})";
                return false;
            }
        }

        if (state is not null)
        {
            Interlocked.Increment(ref state.InFlight);
        }

        lease = new CircuitBreakerLease(this, state, RentClient(), http1);
        overflow = null;
        return true;
    }

    /// <summary>
    /// Admits one retry: refused when http.maxRetries retries are already in flight (Envoy's max_retries circuit
    /// breaker); the caller then stops retrying and answers with <paramref name="overflow"/> (reason <c>UO</c>).
    /// Hold the lease for the retry attempt (including its backoff) and dispose it once; allocation-free when admitted.
    /// </summary>
    public bool TryEnterRetry(out CircuitBreakerRetryLease lease, [NotNullWhen(false)] out string? overflow)
    {
        var limits = Limits;
        var retries = Interlocked.Increment(ref _retries);
        if (retries > limits.MaxRetries)
        {
            Interlocked.Decrement(ref _retries);
            Interlocked.Increment(ref _overflowRetries);
            lease = default;
            overflow = $"connection pool overflow for {Name}: {retries - 1} retries in flight, maxRetries {limits.MaxRetries}";
            return false;
        }

        lease = new CircuitBreakerRetryLease(this);
        overflow = null;
        return true;
    }

    internal void ExitRequest(ClusterResilienceEndpoint? state, ConnectionPoolClient? client, bool http1)
    {
        if (state is not null)
        {
            Interlocked.Decrement(ref state.InFlight);
            // A push that removed the endpoint (or removed and re-added it, giving it a new state) recounted the pending
            // requests without this one's: releasing it must not take a place another endpoint's waiting request holds.
            if (http1 && Interlocked.Decrement(ref state.Http1InFlight) + 1 > Limits.MaxConnections && IsCurrent(state))
            {
                DecrementPending();
            }
        }

        client?.Release();
        Interlocked.Decrement(ref _active);
    }

    internal void ExitRetry() => Interlocked.Decrement(ref _retries);

    private bool IsCurrent(ClusterResilienceEndpoint state) =>
        Volatile.Read(ref _endpoints).TryGetValue((state.Address, state.Port), out var current) && ReferenceEquals(current, state);

    private ConnectionPoolClient? RentClient()
    {
        // A config push may retire the client between the read and the reference: then read the new one.
        while (Volatile.Read(ref _client) is { } client)
        {
            if (client.TryAddRef())
            {
                return client;
            }
        }

        return null;
    }

    // Never below zero, even when an endpoint removed by a push releases its last requests after the recount.
    private void DecrementPending()
    {
        var pending = Volatile.Read(ref _pending);
        while (pending > 0)
        {
            var seen = Interlocked.CompareExchange(ref _pending, pending - 1, pending);
            if (seen == pending)
            {
                return;
            }

            pending = seen;
        }
    }
}
