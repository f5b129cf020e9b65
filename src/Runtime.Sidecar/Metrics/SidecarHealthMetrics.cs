using Runtime.Abstractions.Telemetry;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Resilience;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// The sidecar's own health as <c>mesh_sidecar_*</c> families on <c>/stats/prometheus</c>, after Istio's request
/// metrics: the config in use and its age, the control-plane stream, the workload certificate and trust bundle, and
/// per cluster the connection-pool and outlier-detection figures. Everything is read from existing state when
/// scraped; nothing is counted on the request path for it.
/// </summary>
/// <param name="config">The applied configuration.</param>
/// <param name="resilience">The clusters' circuit breakers and outlier detectors.</param>
/// <param name="certificates">The workload certificate in use, or null when the sidecar has no certificate source.</param>
/// <param name="trustGeneration">The trust bundle's CA generation (0 until the first bundle).</param>
/// <param name="controlPlaneConnected">Whether the control-plane config stream is up now.</param>
/// <param name="time">The clock for ages and time left.</param>
internal sealed class SidecarHealthMetrics(
    ProxyConfig config, ClusterResilienceRegistry resilience, IWorkloadCertificateSource? certificates, Func<long> trustGeneration, Func<bool> controlPlaneConnected, TimeProvider time)
{
    private static readonly KeyValuePair<string, string>[] NoLabels = [];

    /// <summary>Renders the families, clusters in name order.</summary>
    public string Render()
    {
        var writer = new PrometheusTextWriter();
        var now = time.GetUtcNow();
        if (config.Current is { } state)
        {
            writer.WriteFamily("mesh_sidecar_config_info", "gauge", "The configuration version in use (value 1) and where it came from (control-plane or persisted).");
            writer.WriteSample("mesh_sidecar_config_info", [new("version", state.Snapshot.Version), new("source", state.Source)], 1);
            Gauge(writer, "mesh_sidecar_config_revision", "The control plane's store revision of the configuration in use.", state.Snapshot.Revision);
            Gauge(writer, "mesh_sidecar_config_applied_timestamp_seconds", "When the configuration in use was applied, in Unix seconds.", state.AppliedAt.ToUnixTimeMilliseconds() / 1000.0);
            Gauge(writer, "mesh_sidecar_config_age_seconds", "Seconds since the configuration in use was applied.", Math.Max(0, (now - state.AppliedAt).TotalSeconds));
        }

        Gauge(writer, "mesh_sidecar_control_plane_connected", "1 while the config stream from the control plane is up, else 0.", controlPlaneConnected() ? 1 : 0);
        if (certificates?.Current is { } certificate)
        {
            Gauge(writer, "mesh_sidecar_certificate_expiry_timestamp_seconds", "When the workload certificate expires (its NotAfter), in Unix seconds.", certificate.NotAfter.ToUnixTimeSeconds());
            Gauge(writer, "mesh_sidecar_certificate_expires_in_seconds", "Seconds until the workload certificate expires (negative once expired).", (certificate.NotAfter - now).TotalSeconds);
        }

        Gauge(writer, "mesh_sidecar_trust_bundle_generation", "The CA generation of the trust bundle in use (0 until the first bundle).", trustGeneration());
        WriteClusters(writer);
        return writer.ToString();
    }

    private void WriteClusters(PrometheusTextWriter writer)
    {
        var clusters = resilience.Clusters.Select(c => c.Describe()).OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        var labels = clusters.Select(c => new KeyValuePair<string, string>[] { new("cluster_name", c.Name) }).ToArray();
        void PerCluster(string name, string type, string help, Func<ClusterResilienceSnapshot, double> value)
        {
            writer.WriteFamily(name, type, help);
            for (var i = 0; i < clusters.Length; i++)
            {
                writer.WriteSample(name, labels[i], value(clusters[i]));
            }
        }

        PerCluster("mesh_sidecar_cluster_active_requests", "gauge", "Requests in flight to the cluster.", c => c.ActiveRequests);
        PerCluster("mesh_sidecar_cluster_pending_requests", "gauge", "HTTP/1.1 requests waiting for a connection to the cluster (beyond maxConnections).", c => c.PendingRequests);
        PerCluster("mesh_sidecar_cluster_active_retries", "gauge", "Retries in flight to the cluster.", c => c.ActiveRetries);
        const string overflows = "mesh_sidecar_cluster_overflows_total";
        writer.WriteFamily(overflows, "counter", "Requests answered 503 UO by the cluster's circuit breaker, by the limit that refused them (requests: http2MaxRequests, pending: http1MaxPendingRequests, retries: maxRetries).");
        for (var i = 0; i < clusters.Length; i++)
        {
            writer.WriteSample(overflows, labels[i], clusters[i].RequestOverflows, "limit", "requests");
            writer.WriteSample(overflows, labels[i], clusters[i].PendingOverflows, "limit", "pending");
            writer.WriteSample(overflows, labels[i], clusters[i].RetryOverflows, "limit", "retries");
        }

        PerCluster("mesh_sidecar_outlier_ejected_endpoints", "gauge", "Endpoints of the cluster ejected by outlier detection now.", c => c.Endpoints.Count(e => e.Ejected));
        PerCluster("mesh_sidecar_outlier_ejections_total", "counter", "Outlier ejections of the cluster's endpoints since the cluster was set up.", c => c.Endpoints.Sum(e => (double)e.TotalEjections));
    }

    private static void Gauge(PrometheusTextWriter writer, string name, string help, double value)
    {
        writer.WriteFamily(name, "gauge", help);
        writer.WriteSample(name, NoLabels, value);
    }
}
