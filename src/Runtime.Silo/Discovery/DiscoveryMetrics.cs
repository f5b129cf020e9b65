using System.Diagnostics.Metrics;
using Runtime.Silo.Metrics;

namespace Runtime.Silo.Discovery;

/// <summary>Distribution instruments on the silo's <c>Runtime.Silo</c> meter.</summary>
internal sealed class DiscoveryMetrics
{
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _pushErrors;
    private readonly Counter<long> _nacks;
    private readonly Histogram<double> _convergence;

    public DiscoveryMetrics(SiloMetrics metrics, ProxyRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(registry);
        var meter = metrics.Meter;
        meter.CreateObservableGauge("silo.discovery.proxies.connected", () => registry.ConnectedCount, description: "Proxies with an open Subscribe stream.");
        meter.CreateObservableGauge("silo.discovery.proxies.registered", () => registry.Count, description: "Proxies registered with this replica.");
        meter.CreateObservableGauge("silo.discovery.outlier.reporting", () => registry.Proxies.Count(p => p.Outlier is not null), description: "Proxies that report outlier-detection state with their heartbeats.");
        meter.CreateObservableGauge("silo.discovery.endpoint.outlier.ejected", () => EjectedBy(registry), description: "Reporting proxies whose outlier detection ejects the endpoint now, per endpoint any proxy has ever ejected.");
        _pushes = meter.CreateCounter<long>("silo.discovery.pushes", description: "Snapshots written to proxy Subscribe streams.");
        _pushErrors = meter.CreateCounter<long>("silo.discovery.push.errors", description: "Snapshot writes that failed (the stream broke).");
        _nacks = meter.CreateCounter<long>("silo.discovery.nacks", description: "Snapshot versions rejected by proxies.");
        // Istio's pilot_proxy_convergence_time buckets, finer below a second where a debounced push lands.
        _convergence = meter.CreateHistogram<double>(
            "silo.discovery.convergence.duration", unit: "s",
            description: "From a config change stored (or a registry change) until every affected connected proxy ACKed a snapshot with it.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30] });
    }

    private static IEnumerable<Measurement<int>> EjectedBy(ProxyRegistry registry) =>
        OutlierHealthView.Of(registry.Proxies).Endpoints.Select(e => new Measurement<int>(
            e.EjectedBy,
            new KeyValuePair<string, object?>("host", e.Host),
            new KeyValuePair<string, object?>("address", $"{e.Address}:{e.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));

    public void Pushed() => _pushes.Add(1);

    public void PushFailed() => _pushErrors.Add(1);

    public void Nacked() => _nacks.Add(1);

    public void Converged(TimeSpan duration) => _convergence.Record(duration.TotalSeconds);
}
