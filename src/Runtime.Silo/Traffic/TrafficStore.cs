using Microsoft.Extensions.Logging;

namespace Runtime.Silo.Traffic;

/// <summary>
/// The traffic reports sidecars' heartbeats carry, per proxy in time buckets, kept <see cref="TrafficLimits.Retention"/>:
/// the data of the dashboard's service graph. A proxy that deregisters keeps what it reported until that ages out,
/// and nothing more of it is taken until it registers again.
/// </summary>
internal sealed partial class TrafficStore(TimeProvider time, ILogger<TrafficStore> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ProxyTraffic> _proxies = new(StringComparer.Ordinal);
    private long _droppedEdges;
    private long _repeatedReports;
    private long _refusedReports;

    /// <summary>Edges refused so far: implausible numbers, or a bucket already holding <see cref="TrafficLimits.MaxEdgesPerBucket"/>.</summary>
    public long DroppedEdges => Interlocked.Read(ref _droppedEdges);

    /// <summary>Reports not counted because they had been taken already (sent again after a heartbeat failed).</summary>
    public long RepeatedReports => Interlocked.Read(ref _repeatedReports);

    /// <summary>Reports not taken because their proxy had deregistered (and not registered again).</summary>
    public long RefusedReports => Interlocked.Read(ref _refusedReports);

    /// <summary>Records a heartbeat of <paramref name="proxyId"/> (registered at <paramref name="registeredAt"/>) and its report, if any.</summary>
    public void Record(string proxyId, DateTimeOffset registeredAt, ReceivedTraffic? traffic)
    {
        var now = time.GetUtcNow();
        int dropped;
        lock (_lock)
        {
            Prune(now);
            if (!_proxies.TryGetValue(proxyId, out var proxy))
            {
                proxy = new ProxyTraffic(registeredAt, now - (traffic?.Covered ?? TimeSpan.Zero));
                _proxies.Add(proxyId, proxy);
            }

            if (proxy.Repeats(traffic))
            {
                // Still a heartbeat (the proxy is alive), but its report was counted when it first came.
                Interlocked.Increment(ref _repeatedReports);
                LogReportRepeated(proxyId, traffic!.Sequence);
                traffic = null;
            }

            dropped = proxy.Add(now, registeredAt, traffic);
        }

        if (dropped < 0 && traffic is { Edges.Count: > 0 })
        {
            Interlocked.Increment(ref _refusedReports);
        }

        var refused = (dropped > 0 ? dropped : 0) + (traffic?.Dropped ?? 0);
        if (refused > 0)
        {
            Interlocked.Add(ref _droppedEdges, refused);
            LogEdgesDropped(proxyId, refused);
        }
    }

    /// <summary><paramref name="proxyId"/> deregistered: keep what it reported, take nothing more from this registration.</summary>
    public void Forget(string proxyId)
    {
        lock (_lock)
        {
            _proxies.GetValueOrDefault(proxyId)?.Depart(time.GetUtcNow());
        }
    }

    /// <summary>Every proxy's reports of the last <paramref name="window"/>; <paramref name="registered"/> tells which proxies are registered now.</summary>
    public (DateTimeOffset End, IReadOnlyList<TrafficSlice> Slices) Read(TimeSpan window, Func<string, bool> registered)
    {
        ArgumentNullException.ThrowIfNull(registered);
        var now = time.GetUtcNow();
        var slices = new List<TrafficSlice>();
        lock (_lock)
        {
            Prune(now);
            foreach (var (id, proxy) in _proxies)
            {
                if (proxy.Read(id, now - window, now, registered(id)) is { } slice)
                {
                    slices.Add(slice);
                }
            }
        }

        return (now, slices);
    }

    private void Prune(DateTimeOffset now)
    {
        var cutoff = now - TrafficLimits.Retention;
        List<string>? gone = null;
        foreach (var (id, proxy) in _proxies)
        {
            proxy.Prune(cutoff);
            // Nothing left and not heard of for the whole retention: a proxy long gone (deregistered or expired).
            if (proxy.IsEmpty && (proxy.DepartedAt is not null || proxy.LastSeen <= cutoff))
            {
                (gone ??= []).Add(id);
            }
        }

        foreach (var id in gone ?? [])
        {
            _proxies.Remove(id);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Traffic report {Sequence} of {ProxyId} was taken before; not counted again")]
    private partial void LogReportRepeated(string proxyId, ulong sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Traffic report of {ProxyId}: {Count} edges dropped (implausible numbers, or too many edges in one second)")]
    private partial void LogEdgesDropped(string proxyId, int count);
}
