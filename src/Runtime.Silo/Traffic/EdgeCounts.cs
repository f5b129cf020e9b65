using Runtime.Abstractions.Telemetry;

namespace Runtime.Silo.Traffic;

/// <summary>
/// Request statistics of one edge over some stretch of time, mergeable: counts, per-code counts, the duration
/// histogram in Istio's buckets (non-cumulative; the last slot is above the last bound) and byte totals.
/// </summary>
internal sealed class EdgeCounts
{
    /// <summary>Requests.</summary>
    public long Requests { get; private set; }

    /// <summary>Requests answered 5xx or failed by the mesh.</summary>
    public long Errors { get; private set; }

    /// <summary>Requests that went over mutual TLS.</summary>
    public long MtlsRequests { get; private set; }

    /// <summary>Requests per duration bucket of <see cref="IstioBuckets.Bounds"/>, then above the last bound.</summary>
    public long[] DurationBuckets { get; } = new long[IstioBuckets.Bounds.Count + 1];

    /// <summary>Sum of the durations, in milliseconds.</summary>
    public double DurationSumMs { get; private set; }

    /// <summary>Requests by response code (0: no response).</summary>
    public Dictionary<int, long> ResponseCodes { get; } = [];

    /// <summary>Request body bytes.</summary>
    public long RequestBytes { get; private set; }

    /// <summary>Response body bytes.</summary>
    public long ResponseBytes { get; private set; }

    /// <summary>Counts built from one report's numbers (already checked: none negative, buckets the right length or empty).</summary>
    public static EdgeCounts Of(
        long requests, long errors, bool mtls, IReadOnlyList<long> durationBuckets, double durationSumMs, IEnumerable<KeyValuePair<int, long>> codes,
        long requestBytes, long responseBytes)
    {
        var counts = new EdgeCounts
        {
            Requests = requests,
            Errors = errors,
            MtlsRequests = mtls ? requests : 0,
            DurationSumMs = durationSumMs,
            RequestBytes = requestBytes,
            ResponseBytes = responseBytes,
        };
        for (var i = 0; i < durationBuckets.Count; i++)
        {
            counts.DurationBuckets[i] = durationBuckets[i];
        }

        foreach (var (code, count) in codes)
        {
            counts.ResponseCodes[code] = count;
        }

        return counts;
    }

    /// <summary>Adds <paramref name="other"/> into these counts.</summary>
    public void Add(EdgeCounts other)
    {
        Requests += other.Requests;
        Errors += other.Errors;
        MtlsRequests += other.MtlsRequests;
        for (var i = 0; i < DurationBuckets.Length; i++)
        {
            DurationBuckets[i] += other.DurationBuckets[i];
        }

        DurationSumMs += other.DurationSumMs;
        foreach (var (code, count) in other.ResponseCodes)
        {
            ResponseCodes[code] = ResponseCodes.GetValueOrDefault(code) + count;
        }

        RequestBytes += other.RequestBytes;
        ResponseBytes += other.ResponseBytes;
    }

    /// <summary>A copy, so merging into it leaves these counts alone.</summary>
    public EdgeCounts Copy()
    {
        var copy = new EdgeCounts();
        copy.Add(this);
        return copy;
    }
}
