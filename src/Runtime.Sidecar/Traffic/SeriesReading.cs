namespace Runtime.Sidecar.Traffic;

/// <summary>One request series' cumulative counters as read at one moment.</summary>
/// <param name="Count">Requests counted (<c>istio_requests_total</c>; stays put while Telemetry disables REQUEST_COUNT).</param>
/// <param name="Cumulative">Cumulative duration bucket counts; the last entry is the number of durations recorded.</param>
/// <param name="DurationSum">Sum of the durations, in milliseconds.</param>
/// <param name="RequestBytes">Sum of the request sizes.</param>
/// <param name="ResponseBytes">Sum of the response sizes.</param>
internal sealed record SeriesReading(long Count, long[] Cumulative, double DurationSum, double RequestBytes, double ResponseBytes);
