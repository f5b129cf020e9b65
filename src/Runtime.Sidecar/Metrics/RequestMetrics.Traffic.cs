namespace Runtime.Sidecar.Metrics;

/// <summary>The series of <see cref="RequestMetrics"/> as they stand, for the traffic reports heartbeats carry (issue 6).</summary>
internal sealed partial class RequestMetrics
{
    /// <summary>Every series with its key; a live view that only grows (reading it takes no lock and costs requests nothing).</summary>
    public IEnumerable<KeyValuePair<RequestSeriesKey, RequestSeries>> Series => _series;
}
