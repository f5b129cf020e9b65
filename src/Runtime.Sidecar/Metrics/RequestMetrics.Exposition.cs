using System.Globalization;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Sidecar.Metrics;

/// <summary>The Prometheus text of <see cref="RequestMetrics"/>, for the admin port's <c>/stats/prometheus</c>.</summary>
internal sealed partial class RequestMetrics
{
    /// <summary>
    /// Renders <c>istio_requests_total</c> and the three histograms, series in a stable order. A metric that Telemetry
    /// overrides disable on a side is not exposed for that side's reporter (nor its family when both sides are off).
    /// </summary>
    public string Render()
    {
        var series = _series.OrderBy(s => string.Join('\u0001', s.Value.Labels.Select(l => l.Value)), StringComparer.Ordinal).ToArray();
        var policy = _overrides?.Current.Policy ?? MetricsPolicy.AllEnabled;
        var writer = new PrometheusTextWriter();
        var requests = Exposed(series, policy, IstioMetric.RequestCount);
        if (requests is not null)
        {
            writer.WriteFamily("istio_requests_total", "counter", "Requests handled by this sidecar (reporter=source: outbound, destination: inbound).");
            foreach (var s in requests)
            {
                writer.WriteSample("istio_requests_total", s.Labels, s.Requests);
            }
        }

        WriteHistogram(writer, Exposed(series, policy, IstioMetric.RequestDuration), "istio_request_duration_milliseconds", "Request duration in milliseconds, from the first byte received to the response's end.", s => s.Duration);
        WriteHistogram(writer, Exposed(series, policy, IstioMetric.RequestSize), "istio_request_bytes", "HTTP request body sizes in bytes, as received (chunked and HTTP/2 bodies included).", s => s.RequestBytes);
        WriteHistogram(writer, Exposed(series, policy, IstioMetric.ResponseSize), "istio_response_bytes", "HTTP response body sizes in bytes, as sent (chunked and HTTP/2 bodies included).", s => s.ResponseBytes);
        RenderTcp(writer, policy); // TCP metrics (issue 6)
        // Access logs (issue 6).
        if (_accessLog is not null)
        {
            writer.WriteFamily("mesh_sidecar_access_log_dropped_total", "counter", "Access-log entries dropped because the log queue was full or the output failed.");
            writer.WriteSample("mesh_sidecar_access_log_dropped_total", [], _accessLog.Writer.Dropped);
        }

        return writer.ToString();
    }

    /// <summary>The series whose side reports <paramref name="metric"/>; null when neither side does (no family at all).</summary>
    private static TSeries[]? Exposed<TSeries>(KeyValuePair<RequestSeriesKey, TSeries>[] series, MetricsPolicy policy, IstioMetric metric) =>
        policy.IsEnabled(metric, client: true) || policy.IsEnabled(metric, client: false)
            ? [.. series.Where(s => policy.IsEnabled(metric, client: s.Key.Outbound)).Select(s => s.Value)]
            : null;

    private static void WriteHistogram(PrometheusTextWriter writer, RequestSeries[]? series, string name, string help, Func<RequestSeries, LockFreeHistogram> histogramOf)
    {
        if (series is null)
        {
            return;
        }

        writer.WriteFamily(name, "histogram", help);
        foreach (var s in series)
        {
            var histogram = histogramOf(s);
            var (cumulative, sum) = histogram.Read();
            for (var i = 0; i < histogram.Bounds.Count; i++)
            {
                writer.WriteSample(name + "_bucket", s.Labels, cumulative[i], "le", PrometheusTextWriter.FormatValue(histogram.Bounds[i]));
            }

            var count = cumulative[^1];
            writer.WriteSample(name + "_bucket", s.Labels, count, "le", "+Inf");
            writer.WriteSample(name + "_sum", s.Labels, sum);
            writer.WriteSample(name + "_count", s.Labels, count);
        }
    }

    /// <summary>Istio's label set for a series, built once when the series is first seen.</summary>
    private static KeyValuePair<string, string>[] LabelsOf(RequestSeriesKey key)
    {
        var source = key.Source;
        var destination = key.Destination;
        return
        [
            new("reporter", key.Outbound ? "source" : "destination"),
            new("source_workload", source.Workload),
            new("source_workload_namespace", source.Namespace),
            new("source_principal", source.Principal),
            new("source_app", source.App),
            new("source_version", source.Version),
            new("source_canonical_service", source.CanonicalService),
            new("source_canonical_revision", source.CanonicalRevision),
            new("source_cluster", source.Cluster),
            new("destination_workload", destination.Workload),
            new("destination_workload_namespace", destination.Namespace),
            new("destination_principal", destination.Principal),
            new("destination_app", destination.App),
            new("destination_version", destination.Version),
            new("destination_service", destination.Service),
            new("destination_service_name", destination.ServiceName),
            new("destination_service_namespace", destination.ServiceNamespace),
            new("destination_canonical_service", destination.CanonicalService),
            new("destination_canonical_revision", destination.CanonicalRevision),
            new("destination_cluster", destination.Cluster),
            new("request_protocol", key.Grpc ? "grpc" : "http"),
            new("response_code", key.ResponseCode.ToString(CultureInfo.InvariantCulture)),
            new("grpc_response_status", key.GrpcStatus >= 0 ? key.GrpcStatus.ToString(CultureInfo.InvariantCulture) : ""),
            new("response_flags", key.ResponseFlags),
            new("connection_security_policy", key.Security switch
            {
                SecurityPolicy.MutualTls => "mutual_tls",
                SecurityPolicy.None => "none",
                _ => "unknown",
            }),
        ];
    }
}
