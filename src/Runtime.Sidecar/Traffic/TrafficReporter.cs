using Google.Protobuf.WellKnownTypes;
using Runtime.Sidecar.Metrics;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Traffic;

/// <summary>
/// Turns Istio's request series into the per-edge deltas a heartbeat carries to the control plane (the data of the
/// dashboard's service graph). It only reads the counters requests already keep, so the request path does no extra
/// work. Deltas are taken against the last report the control plane accepted. A report whose heartbeat failed is
/// sent again unchanged, with the same sequence number, so the control plane counts it once even when it had
/// recorded it before the failure; requests served meanwhile go in the report after it.
/// </summary>
internal sealed class TrafficReporter
{
    private readonly Lock _lock = new();
    private readonly Func<IEnumerable<KeyValuePair<RequestSeriesKey, RequestSeries>>> _series;
    private readonly Func<IEnumerable<KeyValuePair<RequestSeriesKey, TcpSeries>>> _tcp;
    private readonly TimeProvider _time;
    private IReadOnlyDictionary<object, SeriesReading> _committed = new Dictionary<object, SeriesReading>();
    private DateTimeOffset _committedAt;
    private TrafficDraft? _pending;
    private ulong _sequence;

    /// <summary>Reports the series of <paramref name="metrics"/>, with deltas starting now.</summary>
    public TrafficReporter(RequestMetrics metrics, TimeProvider time)
        : this(() => metrics.Series, time, () => metrics.TcpSeries)
    {
    }

    /// <summary>Reports the series <paramref name="series"/> (and <paramref name="tcp"/>, TCP series) return, with deltas starting now.</summary>
    public TrafficReporter(Func<IEnumerable<KeyValuePair<RequestSeriesKey, RequestSeries>>> series, TimeProvider time, Func<IEnumerable<KeyValuePair<RequestSeriesKey, TcpSeries>>>? tcp = null)
    {
        _series = series;
        _tcp = tcp ?? (static () => []);
        _time = time;
        _committedAt = time.GetUtcNow();
    }

    /// <summary>Identifies this reporter (this sidecar process) to the control plane; its reports are numbered within it.</summary>
    public string Session { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// The report not yet committed, unchanged, if there is one; else reads every series and builds the report of
    /// what changed since the last committed one, numbered next.
    /// </summary>
    public TrafficDraft Prepare()
    {
        var now = _time.GetUtcNow();
        IReadOnlyDictionary<object, SeriesReading> committed;
        DateTimeOffset start;
        lock (_lock)
        {
            if (_pending is not null)
            {
                return _pending;
            }

            committed = _committed;
            start = _committedAt;
        }

        var readings = new Dictionary<object, SeriesReading>();
        var edges = new Dictionary<EdgeLabels, V1.EdgeTraffic>();
        foreach (var (key, series) in _series())
        {
            var reading = Read(series);
            readings[series] = reading;
            var previous = committed.GetValueOrDefault(series);
            var count = reading.Count - (previous?.Count ?? 0);
            if (count <= 0)
            {
                continue;
            }

            var labels = EdgeLabels.Of(key);
            if (!edges.TryGetValue(labels, out var edge))
            {
                edge = labels.ToMessage();
                edge.DurationBuckets.Add(new long[reading.Cumulative.Length]);
                edges.Add(labels, edge);
            }

            Add(edge, key, reading, previous, count);
        }

        AddTcp(readings, committed, edges); // TCP edges (issue 6)

        if (edges.Count == 0)
        {
            return new TrafficDraft(null, readings, now);
        }

        lock (_lock)
        {
            // Prepare is called by one heartbeat loop at a time; the lock only publishes the state.
            var draft = new TrafficDraft(
                new V1.TrafficReport
                {
                    WindowStart = Timestamp.FromDateTimeOffset(start),
                    WindowEnd = Timestamp.FromDateTimeOffset(now),
                    Edges = { edges.Values },
                    Sequence = ++_sequence,
                    ReporterSession = Session,
                },
                readings,
                now);
            _pending = draft;
            return draft;
        }
    }

    /// <summary>The control plane took <paramref name="draft"/>: the next report starts where it ended.</summary>
    public void Commit(TrafficDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        lock (_lock)
        {
            _committed = draft.Readings;
            _committedAt = draft.WindowEnd;
            if (ReferenceEquals(_pending, draft))
            {
                _pending = null;
            }
        }
    }

    /// <summary>
    /// TCP series as edges with protocol <c>tcp</c>: closed connections count as requests (those with response flags
    /// as errors), bytes received from and sent to the caller as request and response bytes, counted as they flowed
    /// (so a long connection shows its traffic before it closes).
    /// </summary>
    private void AddTcp(Dictionary<object, SeriesReading> readings, IReadOnlyDictionary<object, SeriesReading> committed, Dictionary<EdgeLabels, V1.EdgeTraffic> edges)
    {
        foreach (var (key, series) in _tcp())
        {
            var (cumulative, durationSum) = series.Duration.Read();
            var reading = new SeriesReading(cumulative[^1], cumulative, durationSum, series.ReceivedBytes, series.SentBytes); // closed connections
            readings[series] = reading;
            var previous = committed.GetValueOrDefault(series);
            var count = reading.Count - (previous?.Count ?? 0);
            if (count <= 0 && reading.RequestBytes == (previous?.RequestBytes ?? 0) && reading.ResponseBytes == (previous?.ResponseBytes ?? 0))
            {
                continue;
            }

            var labels = EdgeLabels.Of(key) with { Tcp = true };
            if (!edges.TryGetValue(labels, out var edge))
            {
                edge = labels.ToMessage();
                edge.DurationBuckets.Add(new long[reading.Cumulative.Length]);
                edges.Add(labels, edge);
            }

            edge.Requests += count;
            if (!ReferenceEquals(key.ResponseFlags, ResponseFlags.None))
            {
                edge.Errors += count;
            }

            AddDurationsAndBytes(edge, reading, previous);
        }
    }

    private static SeriesReading Read(RequestSeries series)
    {
        var (cumulative, durationSum) = series.Duration.Read();
        // The edge's requests are istio_requests_total's: with REQUEST_COUNT disabled on this side, it reports no edge.
        return new SeriesReading(series.Requests, cumulative, durationSum, series.RequestBytes.Read().Sum, series.ResponseBytes.Read().Sum);
    }

    private static void Add(V1.EdgeTraffic edge, RequestSeriesKey key, SeriesReading reading, SeriesReading? previous, long count)
    {
        edge.Requests += count;
        if (key.ResponseCode >= 500 || key.ResponseCode == 0 || !ReferenceEquals(key.ResponseFlags, ResponseFlags.None))
        {
            edge.Errors += count;
        }

        edge.ResponseCodes[key.ResponseCode] = edge.ResponseCodes.GetValueOrDefault(key.ResponseCode) + count;
        AddDurationsAndBytes(edge, reading, previous);
    }

    private static void AddDurationsAndBytes(V1.EdgeTraffic edge, SeriesReading reading, SeriesReading? previous)
    {
        for (var i = 0; i < reading.Cumulative.Length; i++)
        {
            // Cumulative to per-bucket counts, less what the last report already carried.
            var now = reading.Cumulative[i] - (i > 0 ? reading.Cumulative[i - 1] : 0);
            var before = previous is null ? 0 : previous.Cumulative[i] - (i > 0 ? previous.Cumulative[i - 1] : 0);
            edge.DurationBuckets[i] += now - before;
        }

        edge.DurationSumMs += reading.DurationSum - (previous?.DurationSum ?? 0);
        edge.RequestBytes += (long)(reading.RequestBytes - (previous?.RequestBytes ?? 0));
        edge.ResponseBytes += (long)(reading.ResponseBytes - (previous?.ResponseBytes ?? 0));
    }
}
