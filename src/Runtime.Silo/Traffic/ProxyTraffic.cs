namespace Runtime.Silo.Traffic;

/// <summary>
/// One proxy's reports in time buckets (by arrival at the control plane), and the stretch of time they cover: from
/// the start of its first report's window (or its first heartbeat) to now, or to when it left.
/// </summary>
internal sealed class ProxyTraffic(DateTimeOffset registeredAt, DateTimeOffset coverageStart)
{
    private readonly Queue<TrafficBucket> _buckets = new();
    private string _session = "";
    private ulong _sequence;

    /// <summary>The registration the reports belong to; a new one (the proxy registered again) starts a new session.</summary>
    public DateTimeOffset RegisteredAt { get; private set; } = registeredAt;

    /// <summary>Since when the reports kept here cover the proxy's traffic.</summary>
    public DateTimeOffset CoverageStart { get; private set; } = coverageStart;

    /// <summary>The last heartbeat recorded.</summary>
    public DateTimeOffset LastSeen { get; private set; } = coverageStart;

    /// <summary>When the proxy deregistered; from then on its reports are refused until it registers again.</summary>
    public DateTimeOffset? DepartedAt { get; private set; }

    /// <summary>True when nothing it reported is left.</summary>
    public bool IsEmpty => _buckets.Count == 0;

    /// <summary>
    /// True when <paramref name="traffic"/> is a report already taken: numbered, from the same sidecar session as the
    /// last one taken and not numbered above it (a heartbeat sent again after a failure the control plane did not see).
    /// </summary>
    public bool Repeats(ReceivedTraffic? traffic) =>
        traffic is { Sequence: > 0 } t && t.Session == _session && t.Sequence <= _sequence;

    /// <summary>A heartbeat of registration <paramref name="registeredAt"/> arrived at <paramref name="now"/>; returns edges dropped, or -1 when refused.</summary>
    public int Add(DateTimeOffset now, DateTimeOffset registeredAt, ReceivedTraffic? traffic)
    {
        if (registeredAt != RegisteredAt)
        {
            // A new registration: coverage restarts unless reports of the old one are still kept (it was a quick come-back).
            RegisteredAt = registeredAt;
            DepartedAt = null;
            if (IsEmpty)
            {
                CoverageStart = now - (traffic?.Covered ?? TimeSpan.Zero);
            }
        }
        else if (DepartedAt is not null)
        {
            return -1;
        }

        LastSeen = now;
        if (traffic is { Sequence: > 0 })
        {
            (_session, _sequence) = (traffic.Session, traffic.Sequence);
        }

        if (traffic is null || traffic.Edges.Count == 0)
        {
            return 0;
        }

        var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TrafficLimits.BucketWidth.Ticks, TimeSpan.Zero);
        if (_buckets.Count == 0 || _buckets.Last().Start != start)
        {
            _buckets.Enqueue(new TrafficBucket(start));
        }

        return _buckets.Last().Add(traffic.Edges);
    }

    /// <summary>The proxy deregistered at <paramref name="now"/>: what it reported stays until it ages out, nothing more is taken.</summary>
    public void Depart(DateTimeOffset now) => DepartedAt ??= now;

    /// <summary>Drops buckets older than <paramref name="cutoff"/>.</summary>
    public void Prune(DateTimeOffset cutoff)
    {
        while (_buckets.TryPeek(out var oldest) && oldest.Start + TrafficLimits.BucketWidth <= cutoff)
        {
            _buckets.Dequeue();
        }
    }

    /// <summary>
    /// The reports that arrived in [<paramref name="from"/>, <paramref name="now"/>], merged, with the time they cover;
    /// null when there are none. <paramref name="registered"/>: whether the proxy is registered now (else its coverage
    /// ended with its last heartbeat).
    /// </summary>
    public TrafficSlice? Read(string proxyId, DateTimeOffset from, DateTimeOffset now, bool registered)
    {
        var edges = new Dictionary<EdgeKey, EdgeCounts>();
        foreach (var bucket in _buckets)
        {
            if (bucket.Start + TrafficLimits.BucketWidth <= from)
            {
                continue;
            }

            foreach (var (key, counts) in bucket.Edges)
            {
                if (edges.TryGetValue(key, out var merged))
                {
                    merged.Add(counts);
                }
                else
                {
                    edges.Add(key, counts.Copy());
                }
            }
        }

        if (edges.Count == 0)
        {
            return null;
        }

        var end = DepartedAt ?? (registered ? now : LastSeen);
        var start = CoverageStart > from ? CoverageStart : from;
        // Reports arrive whole: never divide by less than one bucket.
        var covered = end - start > TrafficLimits.BucketWidth ? end - start : TrafficLimits.BucketWidth;
        return new TrafficSlice(proxyId, covered, edges);
    }
}
