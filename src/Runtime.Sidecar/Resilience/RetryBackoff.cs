namespace Runtime.Sidecar.Resilience;

/// <summary>
/// Envoy's fully jittered exponential back-off, as its <c>JitteredExponentialBackOffStrategy</c> computes it: the
/// interval starts at the base and doubles per retry up to the cap, and each wait is uniform in
/// [0, interval) whole milliseconds. With the 25 ms base: retry 1 waits 0–24 ms, retry 2 0–49 ms, retry 3 0–99 ms,
/// and from retry 5 on 0–249 ms.
/// </summary>
internal static class RetryBackoff
{
    /// <summary>The interval the wait before retry <paramref name="retry"/> (1-based) is drawn from.</summary>
    public static TimeSpan Interval(int retry, TimeSpan backoffBase, TimeSpan backoffMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var baseMs = Math.Max(1L, (long)backoffBase.TotalMilliseconds);
        var maxMs = Math.Max(baseMs, (long)backoffMax.TotalMilliseconds);
        var intervalMs = baseMs;
        for (var i = 1; i < retry && intervalMs < maxMs; i++)
        {
            intervalMs = Math.Min(intervalMs * 2, maxMs);
        }

        return TimeSpan.FromMilliseconds(intervalMs);
    }

    /// <summary>The wait before retry <paramref name="retry"/> (1-based), drawn with <paramref name="random"/>.</summary>
    public static TimeSpan Next(int retry, TimeSpan backoffBase, TimeSpan backoffMax, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var intervalMs = (long)Interval(retry, backoffBase, backoffMax).TotalMilliseconds;
        return TimeSpan.FromMilliseconds(random.NextInt64(intervalMs));
    }
}
