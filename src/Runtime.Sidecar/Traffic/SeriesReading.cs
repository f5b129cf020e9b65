namespace Runtime.Sidecar.Traffic;

/// <summary>One request series' cumulative counters as read at one moment.</summary>
/// <param name="Cumulative">Cumulative duration bucket counts; the last entry is the request count.</param>
/// <param name="DurationSum">Sum of the durations, in milliseconds.</param>
/// <param name="RequestBytes">Sum of the request sizes.</param>
/// <param name="ResponseBytes">Sum of the response sizes.</param>
internal sealed record SeriesReading(long[] Cumulative, double DurationSum, double RequestBytes, double ResponseBytes)
{
    /// <summary>Requests counted.</summary>
    public long Count => Cumulative[^1];
}
