using System.Collections.Concurrent;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// One upstream client's connections, partitioned by the TLS they were opened with. SocketsHttpHandler pools by
/// scheme, host and port only, and mesh TLS is layered inside its connect callback under an <c>http</c> destination,
/// so a single pool would hand a request a connection opened under other TLS settings (or in plaintext) after a
/// DestinationRule <c>tls</c> change or a workload certificate arriving. Each partition
/// (<see cref="UpstreamTls.Partition"/>) is therefore its own SocketsHttpHandler built from the same options, and
/// plaintext has one partition of its own. A TLS partition on which no request has started for the retirement age
/// is disposed when another partition is created: its idle connections would have been closed by then, and
/// requests still running on it finish on their connections.
/// </summary>
internal sealed class TlsPartitionedHandler : HttpMessageHandler
{
    private readonly Func<SocketsHttpHandler> _create;
    private readonly TimeSpan _retireAfter;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _plaintext;
    private readonly ConcurrentDictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Creates the handler; <paramref name="create"/> builds the SocketsHttpHandler of each partition.</summary>
    /// <param name="create">Builds one partition's handler (same pool options for every partition).</param>
    /// <param name="retireAfter">How long a TLS partition may go without a new request before it may be disposed.</param>
    /// <param name="time">The clock for that age.</param>
    public TlsPartitionedHandler(Func<SocketsHttpHandler> create, TimeSpan retireAfter, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(time);
        _create = create;
        _retireAfter = retireAfter;
        _time = time;
        _plaintext = new HttpMessageInvoker(create(), disposeHandler: true);
    }

    /// <summary>How many TLS partitions are alive (plaintext not counted).</summary>
    public int TlsPartitions => _partitions.Count;

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(ForwarderClientFactory.TlsOption, out var tls)
            ? SendAsync(Enter(tls), request, cancellationToken)
            : _plaintext.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                _disposed = true;
                foreach (var partition in _partitions.Values)
                {
                    partition.Invoker.Dispose();
                }

                _partitions.Clear();
            }

            _plaintext.Dispose();
        }

        base.Dispose(disposing);
    }

    private static async Task<HttpResponseMessage> SendAsync(Partition partition, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await partition.Invoker.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            partition.Exit();
        }
    }

    private Partition Enter(UpstreamTls tls)
    {
        var now = _time.GetTimestamp();
        if (tls.LastResolved is { } cached && ReferenceEquals(cached.Owner, this) && cached.Partition.TryEnter(now))
        {
            return cached.Partition;
        }

        while (true)
        {
            if (_partitions.TryGetValue(tls.Partition, out var existing) && existing.TryEnter(now))
            {
                tls.LastResolved = new Resolved(this, existing);
                return existing;
            }

            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_partitions.TryGetValue(tls.Partition, out existing) && !existing.IsRetired)
                {
                    continue; // created meanwhile: enter it outside the lock
                }

                RetireIdle(now);
                var created = new Partition(new HttpMessageInvoker(_create(), disposeHandler: true));
                created.TryEnter(now);
                _partitions[tls.Partition] = created;
                tls.LastResolved = new Resolved(this, created);
                return created;
            }
        }
    }

    // Under _lock. A partition is retired only with no request in its SendAsync (the count and the retirement are one
    // atomic step), so no request can start on a disposed handler.
    private void RetireIdle(long now)
    {
        foreach (var (key, partition) in _partitions)
        {
            if (_time.GetElapsedTime(partition.LastUsed, now) >= _retireAfter && partition.TryRetire())
            {
                _partitions.TryRemove(new KeyValuePair<string, Partition>(key, partition));
                partition.Invoker.Dispose();
            }
        }
    }

    /// <summary>The partition a pooled client last resolved for an <see cref="UpstreamTls"/>.</summary>
    /// <param name="Owner">The handler the partition belongs to.</param>
    /// <param name="Partition">The partition.</param>
    internal sealed record Resolved(TlsPartitionedHandler Owner, Partition Partition);

    /// <summary>One TLS partition: its own connection pool, with a count of requests being sent on it.</summary>
    internal sealed class Partition(HttpMessageInvoker invoker)
    {
        private int _active; // -1 once retired
        private long _lastUsed;

        /// <summary>The partition's client.</summary>
        public HttpMessageInvoker Invoker { get; } = invoker;

        /// <summary>When a request last started on it (a <see cref="TimeProvider"/> timestamp).</summary>
        public long LastUsed => Volatile.Read(ref _lastUsed);

        /// <summary>Whether it was retired (its handler disposed or about to be).</summary>
        public bool IsRetired => Volatile.Read(ref _active) < 0;

        /// <summary>Counts a request in; false when the partition is retired.</summary>
        public bool TryEnter(long now)
        {
            var active = Volatile.Read(ref _active);
            while (active >= 0)
            {
                var seen = Interlocked.CompareExchange(ref _active, active + 1, active);
                if (seen == active)
                {
                    Volatile.Write(ref _lastUsed, now);
                    return true;
                }

                active = seen;
            }

            return false;
        }

        /// <summary>Counts a request out.</summary>
        public void Exit() => Interlocked.Decrement(ref _active);

        /// <summary>Retires the partition if no request is being sent on it.</summary>
        public bool TryRetire() => Interlocked.CompareExchange(ref _active, -1, 0) == 0;
    }
}
