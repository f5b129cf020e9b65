namespace Runtime.Silo.Traffic;

/// <summary>
/// A quantile from bucket counts the way PromQL's <c>histogram_quantile</c> reads it: find the bucket holding the
/// rank, interpolate linearly between its lower and upper bound (the first bucket starts at 0); a rank in the
/// bucket above the last bound answers the last bound.
/// </summary>
internal static class HistogramQuantile
{
    /// <summary>
    /// The <paramref name="q"/>-quantile (above 0, at most 1) of <paramref name="buckets"/>: counts per bucket of
    /// <paramref name="bounds"/> (non-cumulative), then the count above the last bound. Null when there is no observation.
    /// </summary>
    public static double? Of(double q, IReadOnlyList<double> bounds, IReadOnlyList<long> buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        long total = 0;
        foreach (var count in buckets)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = q * total;
        long below = 0;
        for (var i = 0; i < bounds.Count; i++)
        {
            var cumulative = below + buckets[i];
            // The first bucket reaching the rank holds observations: the rank is above what lies below it.
            if (cumulative >= rank)
            {
                var lower = i == 0 ? 0 : bounds[i - 1];
                return lower + (bounds[i] - lower) * ((rank - below) / buckets[i]);
            }

            below = cumulative;
        }

        return bounds[^1];
    }
}
