using System.Globalization;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Silo.Traffic;

/// <summary>
/// The window's traffic per edge read from Prometheus instead of the sidecars' reports: Istio's
/// <c>istio_requests_total</c> and <c>istio_request_duration_milliseconds_bucket</c>, increased over the window and
/// summed by the labels that make an edge. The result has the shape of one proxy's reports covering the whole window,
/// so <see cref="ServiceGraphBuilder.Assemble"/> applies the same reporter rule, nodes, rates, quantiles and split.
/// </summary>
internal sealed class PrometheusTraffic(PrometheusClient client)
{
    /// <summary>The reporter name of the slice read from Prometheus.</summary>
    public const string SliceName = "prometheus";

    /// <summary>The labels one edge is made of (as the sidecars report them), plus those that decide mTLS.</summary>
    private const string EdgeLabels =
        "reporter, source_workload, source_workload_namespace, source_version, source_principal, destination_service, destination_service_name, "
        + "destination_service_namespace, destination_workload, destination_workload_namespace, destination_version, destination_principal, "
        + "request_protocol, connection_security_policy";

    /// <summary>Where the numbers come from.</summary>
    public Uri Address => client.Address;

    /// <summary>Requests per edge, response code and flags over the last <paramref name="windowSeconds"/>.</summary>
    public static string RequestsQuery(int windowSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"sum by ({EdgeLabels}, response_code, response_flags) (increase(istio_requests_total[{windowSeconds}s]))");

    /// <summary>Duration buckets (cumulative, per <c>le</c>) per edge over the last <paramref name="windowSeconds"/>.</summary>
    public static string DurationQuery(int windowSeconds) =>
        string.Create(CultureInfo.InvariantCulture, $"sum by ({EdgeLabels}, le) (increase(istio_request_duration_milliseconds_bucket[{windowSeconds}s]))");

    /// <summary>Queries Prometheus for the last <paramref name="windowSeconds"/>.</summary>
    /// <exception cref="PrometheusQueryException">Prometheus could not answer.</exception>
    public async Task<TrafficSlice> ReadAsync(int windowSeconds, CancellationToken cancellationToken)
    {
        // Both queries at once: a Prometheus that never answers costs one query timeout, not two.
        var requests = client.QueryAsync(RequestsQuery(windowSeconds), cancellationToken);
        var durations = client.QueryAsync(DurationQuery(windowSeconds), cancellationToken);
        await Task.WhenAll(requests, durations).ConfigureAwait(false);
        return Slice(windowSeconds, await requests.ConfigureAwait(false), await durations.ConfigureAwait(false));
    }

    /// <summary>The answers of <see cref="RequestsQuery"/> and <see cref="DurationQuery"/> as one slice covering the window.</summary>
    public static TrafficSlice Slice(int windowSeconds, IReadOnlyList<PromSample> requests, IReadOnlyList<PromSample> durations)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(durations);
        var edges = new Dictionary<EdgeKey, EdgeCounts>();
        foreach (var sample in requests)
        {
            var count = Count(sample.Value);
            if (count == 0 || KeyOf(sample) is not { } key)
            {
                continue;
            }

            var code = int.TryParse(sample.Label("response_code"), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            var flags = sample.Labels.GetValueOrDefault("response_flags") ?? "-";
            var error = code >= 500 || code == 0 || flags is not ("-" or "");
            var counts = EdgeCounts.Of(count, error ? count : 0, Mtls(sample), [], 0, [new(code, count)], 0, 0);
            if (edges.TryGetValue(key, out var known))
            {
                known.Add(counts);
            }
            else
            {
                edges.Add(key, counts);
            }
        }

        AddDurations(edges, durations);
        return new TrafficSlice(SliceName, TimeSpan.FromSeconds(windowSeconds), edges);
    }

    private static void AddDurations(Dictionary<EdgeKey, EdgeCounts> edges, IReadOnlyList<PromSample> durations)
    {
        // Per key, the cumulative count at each Istio bound (then +Inf), as the per-series buckets summed up.
        var cumulative = new Dictionary<EdgeKey, long[]>();
        foreach (var sample in durations)
        {
            if (KeyOf(sample) is not { } key || !edges.ContainsKey(key) || BucketIndex(sample.Label("le")) is not { } index)
            {
                continue;
            }

            if (!cumulative.TryGetValue(key, out var counts))
            {
                cumulative.Add(key, counts = new long[IstioBuckets.Bounds.Count + 1]);
            }

            counts[index] += Count(sample.Value);
        }

        foreach (var (key, counts) in cumulative)
        {
            var buckets = edges[key].DurationBuckets;
            long below = 0;
            for (var i = 0; i < counts.Length; i++)
            {
                // Extrapolated increases are rounded per bucket: never let a rounding make a bucket negative.
                var atBound = Math.Max(counts[i], below);
                buckets[i] = atBound - below;
                below = atBound;
            }
        }
    }

    private static EdgeKey? KeyOf(PromSample sample)
    {
        var reporter = sample.Label("reporter");
        if (reporter is not ("source" or "destination"))
        {
            return null;
        }

        var workloadNamespace = sample.Label("destination_workload_namespace");
        var protocol = sample.Label("request_protocol");
        return new EdgeKey(
            reporter == "source", sample.Label("source_workload"), sample.Label("source_workload_namespace"), sample.Label("source_version"),
            sample.Label("source_principal"), sample.Label("destination_service"), sample.Label("destination_service_name"),
            workloadNamespace != EdgeKey.Unknown ? workloadNamespace : sample.Label("destination_service_namespace"),
            sample.Label("destination_workload"), sample.Label("destination_version"), protocol is "grpc" or "tcp" ? protocol : "http");
    }

    /// <summary>As the sidecars decide it: the client side knows both principals only over mesh mTLS; the server side verified it.</summary>
    private static bool Mtls(PromSample sample) =>
        sample.Label("reporter") == "source"
            ? sample.Label("source_principal") != EdgeKey.Unknown && sample.Label("destination_principal") != EdgeKey.Unknown
            : sample.Label("connection_security_policy") == "mutual_tls";

    private static int? BucketIndex(string le)
    {
        if (le == "+Inf")
        {
            return IstioBuckets.Bounds.Count;
        }

        if (!double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
        {
            return null;
        }

        for (var i = 0; i < IstioBuckets.Bounds.Count; i++)
        {
            if (Math.Abs(IstioBuckets.Bounds[i] - bound) <= 1e-9 * Math.Max(1, bound))
            {
                return i;
            }
        }

        return null;
    }

    private static long Count(double value) => double.IsFinite(value) && value > 0 ? (long)Math.Round(value, MidpointRounding.AwayFromZero) : 0;
}
