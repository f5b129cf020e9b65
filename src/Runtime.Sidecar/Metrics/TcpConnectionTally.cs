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
    private long _sent;
    private long _received;
    private int _closed;

    /// <summary>Counts a connection opened on <paramref name="series"/>.</summary>
    public TcpConnectionTally(TcpSeries series, AccessLog? accessLog, TcpLogFields log)
    {
        _series = series;
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
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        var elapsed = Stopwatch.GetElapsedTime(_start);
        _series.Close(elapsed.TotalMilliseconds);
        if (_accessLog is not null && _accessLog.ShouldLog(_log.Outbound, new TcpLogAttributes(_log, _accessLog.InboundCluster)))
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
                ResponseFlags = _log.Flags,
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
