using System.Diagnostics;
using Runtime.Sidecar.AccessLogging;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// The metrics of one proxied TCP connection: opened when created, bytes added to its pre-bound
/// <see cref="TcpSeries"/> as they flow (one interlocked add per read, nothing allocated), and closed once with its
/// duration and, when access logs are on, one access-log line (as Envoy writes one per TCP connection).
/// </summary>
internal sealed class TcpConnectionTally
{
    private readonly TcpSeries _series;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly AccessLog? _accessLog;
    private readonly TcpLogFields _log;
    private readonly Func<string, TcpSeries>? _flagged;
    private long _sent;
    private long _received;
    private int _closed;

    /// <summary>
    /// Counts a connection opened on <paramref name="series"/>; <paramref name="flagged"/> names the series of the same
    /// connection with other response flags, for a close that sets one.
    /// </summary>
    public TcpConnectionTally(TcpSeries series, AccessLog? accessLog, TcpLogFields log, Func<string, TcpSeries>? flagged = null)
    {
        _series = series;
        _flagged = flagged;
        _accessLog = accessLog;
        _log = log;
        series.Open();
    }

    /// <summary>Bytes sent to the downstream peer so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Bytes received from the downstream peer so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Counts <paramref name="bytes"/> sent to the downstream peer.</summary>
    public void AddSent(int bytes)
    {
        Interlocked.Add(ref _sent, bytes);
        _series.AddSent(bytes);
    }

    /// <summary>Counts <paramref name="bytes"/> received from the downstream peer.</summary>
    public void AddReceived(int bytes)
    {
        Interlocked.Add(ref _received, bytes);
        _series.AddReceived(bytes);
    }

    /// <summary>Counts the connection closed (once; later calls do nothing) and writes its access-log line.</summary>
    public void Close() => Close(_log.Flags);

    /// <summary>
    /// Like <see cref="Close()"/>, with the response flags the close set (one of <see cref="ResponseFlags"/>' instances,
    /// e.g. <c>DT</c> for <c>maxConnectionDuration</c>): as Istio reports the close, its count and log line carry them.
    /// </summary>
    public void Close(string flags)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        var elapsed = Stopwatch.GetElapsedTime(_start);
        var series = ReferenceEquals(flags, _log.Flags) || _flagged is null ? _series : _flagged(flags);
        series.Close(elapsed.TotalMilliseconds);
        // The filter sees the flags the close set (DT), like the line it decides on.
        var fields = ReferenceEquals(flags, _log.Flags) ? _log : _log with { Flags = flags };
        if (_accessLog is not null && _accessLog.ShouldLog(_log.Outbound, new TcpLogAttributes(fields, _accessLog.InboundCluster)))
        {
            _accessLog.Writer.Enqueue(new AccessLogEntry
            {
                StartTime = DateTime.UtcNow - elapsed,
                Outbound = _log.Outbound,
                // Envoy's TCP lines have no request: "- - -", response code 0.
                Method = "-",
                Path = "-",
                Protocol = "-",
                ResponseCode = 0,
                ResponseFlags = flags,
                BytesReceived = Received,
                BytesSent = Sent,
                DurationMs = (long)elapsed.TotalMilliseconds,
                UpstreamHost = _log.UpstreamHost,
                Authority = _log.Authority,
                SourceIdentity = _log.Source,
                DestinationIdentity = _log.Destination,
            });
        }
    }
}
