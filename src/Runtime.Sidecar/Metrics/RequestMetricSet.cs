using Runtime.Abstractions.Telemetry;

namespace Runtime.Sidecar.Metrics;

/// <summary>Which of the four HTTP request metrics one side records, read once per request from <see cref="MetricsOverrides"/>.</summary>
/// <param name="Count"><c>istio_requests_total</c> (REQUEST_COUNT).</param>
/// <param name="Duration"><c>istio_request_duration_milliseconds</c> (REQUEST_DURATION).</param>
/// <param name="RequestSize"><c>istio_request_bytes</c> (REQUEST_SIZE).</param>
/// <param name="ResponseSize"><c>istio_response_bytes</c> (RESPONSE_SIZE).</param>
internal readonly record struct RequestMetricSet(bool Count, bool Duration, bool RequestSize, bool ResponseSize)
{
    /// <summary>Every request metric on.</summary>
    public static RequestMetricSet All => new(true, true, true, true);

    /// <summary>Whether anything is recorded: when not, the request skips the series entirely.</summary>
    public bool Any => Count || Duration || RequestSize || ResponseSize;

    /// <summary>One side of <paramref name="policy"/>.</summary>
    public static RequestMetricSet Of(MetricsPolicy policy, bool client) => new(
        policy.IsEnabled(IstioMetric.RequestCount, client), policy.IsEnabled(IstioMetric.RequestDuration, client),
        policy.IsEnabled(IstioMetric.RequestSize, client), policy.IsEnabled(IstioMetric.ResponseSize, client));
}
