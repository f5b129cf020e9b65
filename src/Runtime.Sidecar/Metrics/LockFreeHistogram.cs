namespace Runtime.Sidecar.Metrics;

/// <summary>
/// A histogram whose observations are a few interlocked operations: one bucket increment and a compare-exchange
/// on the sum. Readers see each bucket atomically; a scrape concurrent with requests may see them mid-way, as
/// any Prometheus client.
/// </summary>
internal sealed class LockFreeHistogram(double[] bounds)
{
    // One slot per bound, then +Inf.
    private readonly long[] _buckets = new long[bounds.Length + 1];
    private double _sum;

    public IReadOnlyList<double> Bounds => bounds;

    public void Observe(double value)
    {
        var bucket = Array.BinarySearch(bounds, value);
        // An exact bound belongs to its own bucket (le is inclusive); otherwise the first larger bound's.
        Interlocked.Increment(ref _buckets[bucket >= 0 ? bucket : ~bucket]);
        var sum = Volatile.Read(ref _sum);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref _sum, sum + value, sum);
            if (seen.Equals(sum))
            {
                return;
            }

            sum = seen;
        }
    }

    /// <summary>Cumulative counts per bound (the last entry is +Inf, the count) and the sum.</summary>
    public (long[] Cumulative, double Sum) Read()
    {
        var cumulative = new long[_buckets.Length];
        long running = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            running += Interlocked.Read(ref _buckets[i]);
            cumulative[i] = running;
        }

        return (cumulative, Volatile.Read(ref _sum));
    }
}
