using Runtime.Abstractions.Telemetry;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// One pre-bound series of Istio's TCP metrics (<c>istio_tcp_connections_opened_total</c>,
/// <c>istio_tcp_connections_closed_total</c>, <c>istio_tcp_sent_bytes_total</c>, <c>istio_tcp_received_bytes_total</c>):
/// its label set, rendered once, and lock-free counters that connections only increment as bytes flow.
/// </summary>
/// <remarks>
/// Connection durations are kept too, not for Prometheus (Istio exports none for TCP) but for the service graph's
/// edge statistics; the histogram's count is the number of closed connections.
/// </remarks>
internal sealed class TcpSeries(IReadOnlyList<KeyValuePair<string, string>> labels)
{
    private static readonly double[] Bounds = IstioBuckets.CopyBounds();

    private long _opened;
    private long _sent;
    private long _received;

    /// <summary>The series' labels, Istio's TCP label set.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

    /// <summary>Connections opened.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Connections closed (the duration histogram's count).</summary>
    public long Closed => Duration.Read().Cumulative[^1];

    /// <summary>Bytes sent to the downstream peer (the connection's opener).</summary>
    public long SentBytes => Interlocked.Read(ref _sent);

    /// <summary>Bytes received from the downstream peer.</summary>
    public long ReceivedBytes => Interlocked.Read(ref _received);

    /// <summary>Durations of closed connections, in milliseconds (for the service graph).</summary>
    public LockFreeHistogram Duration { get; } = new(Bounds);

    /// <summary>Counts one opened connection.</summary>
    public void Open() => Interlocked.Increment(ref _opened);

    /// <summary>Counts <paramref name="bytes"/> sent to the downstream peer.</summary>
    public void AddSent(long bytes) => Interlocked.Add(ref _sent, bytes);

    /// <summary>Counts <paramref name="bytes"/> received from the downstream peer.</summary>
    public void AddReceived(long bytes) => Interlocked.Add(ref _received, bytes);

    /// <summary>Counts one closed connection that lasted <paramref name="milliseconds"/>.</summary>
    public void Close(double milliseconds) => Duration.Observe(milliseconds);
}
