using Runtime.Abstractions.Telemetry;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// One pre-bound series of Istio's request metrics: its label set, rendered once, and lock-free counters (the
/// request count and three histograms) that requests only increment.
/// </summary>
internal sealed class RequestSeries(IReadOnlyList<KeyValuePair<string, string>> labels)
{
    // One array for every series' histograms (they only read it).
    private static readonly double[] Bounds = IstioBuckets.CopyBounds();

    private long _requests;

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary><c>istio_request_duration_milliseconds</c>.</summary>
    public LockFreeHistogram Duration { get; } = new(Bounds);

    /// <summary><c>istio_request_bytes</c>.</summary>
    public LockFreeHistogram RequestBytes { get; } = new(Bounds);

    /// <summary><c>istio_response_bytes</c>.</summary>
    public LockFreeHistogram ResponseBytes { get; } = new(Bounds);

    /// <summary>Records one request into every metric.</summary>
    public void Record(double milliseconds, long requestBytes, long responseBytes) => Record(RequestMetricSet.All, milliseconds, requestBytes, responseBytes);

    /// <summary>Records one request into the metrics <paramref name="enabled"/> names (Telemetry overrides may turn some off).</summary>
    public void Record(RequestMetricSet enabled, double milliseconds, long requestBytes, long responseBytes)
    {
        if (enabled.Count)
        {
            Interlocked.Increment(ref _requests);
        }

        if (enabled.Duration)
        {
            Duration.Observe(milliseconds);
        }

        if (enabled.RequestSize)
        {
            RequestBytes.Observe(requestBytes);
        }

        if (enabled.ResponseSize)
        {
            ResponseBytes.Observe(responseBytes);
        }
    }
}
