namespace Runtime.Silo.Metrics;

/// <summary>The aggregated state of one instrument for one set of tags.</summary>
internal sealed class MetricSeries
{
    private readonly Lock _gate = new();
    private readonly long[] _bucketCounts;
    private double _value;
    private double _sum;
    private long _count;

    public MetricSeries(IReadOnlyList<KeyValuePair<string, string>> labels, int bucketCount)
    {
        Labels = labels;
        _bucketCounts = new long[bucketCount + 1];
    }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    /// <summary>Adds without a lock: counters are the hottest path.</summary>
    public void Add(double value)
    {
        var current = Volatile.Read(ref _value);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _value, current + value, current);
            if (seen.Equals(current))
            {
                return;
            }

            current = seen;
        }
    }

    public void Set(double value) => Volatile.Write(ref _value, value);

    public void Observe(double value, IReadOnlyList<double> bounds)
    {
        var bucket = 0;
        while (bucket < bounds.Count && value > bounds[bucket])
        {
            bucket++;
        }

        lock (_gate)
        {
            _bucketCounts[bucket]++;
            _sum += value;
            _count++;
        }
    }

    public double Value => Volatile.Read(ref _value);

    /// <summary>Cumulative counts per bound (the last entry is +Inf), the sum and the count.</summary>
    public (long[] Cumulative, double Sum, long Count) Histogram()
    {
        lock (_gate)
        {
            var cumulative = new long[_bucketCounts.Length];
            long running = 0;
            for (var i = 0; i < _bucketCounts.Length; i++)
            {
                running += _bucketCounts[i];
                cumulative[i] = running;
            }

            return (cumulative, _sum, _count);
        }
    }
}
