using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Silo.Metrics;

/// <summary>
/// Listens to the silo's own <see cref="Meter"/> (this host's instance, so several in-process silos do not
/// mix) and renders its instruments as Prometheus text on demand.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    /// <summary>Histogram buckets in seconds, from 100 µs to 10 s.</summary>
    private static readonly double[] DefaultBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<Instrument, MetricFamily> _families = new();
    private readonly MeterListener _listener = new();
    private readonly Lock _collectGate = new();

    public MetricsCollector(SiloMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var meter = metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                var family = _families.GetOrAdd(instrument, i => new MetricFamily(i, BoundsOf(i)));
                listener.EnableMeasurementEvents(instrument, family);
            }
        };
        // The family rides along as the listener's state, so a measurement needs no lookup.
        _listener.SetMeasurementEventCallback<double>((_, v, t, family) => ((MetricFamily)family!).Record(v, t));
        _listener.SetMeasurementEventCallback<float>((_, v, t, family) => ((MetricFamily)family!).Record(v, t));
        _listener.SetMeasurementEventCallback<long>((_, v, t, family) => ((MetricFamily)family!).Record(v, t));
        _listener.SetMeasurementEventCallback<int>((_, v, t, family) => ((MetricFamily)family!).Record(v, t));
        _listener.Start();
        metrics.RecordZeroSeries();
    }

    /// <summary>Collects observable instruments and renders every family.</summary>
    public string Render()
    {
        lock (_collectGate)
        {
            foreach (var family in _families.Values)
            {
                family.ResetObserved();
            }

            _listener.RecordObservableInstruments();
            var writer = new PrometheusTextWriter();
            foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                writer.WriteFamily(family.Name, family.Type, family.Instrument.Description);
                foreach (var series in family.SeriesOrZero)
                {
                    if (family.Type != "histogram")
                    {
                        writer.WriteSample(family.Name, series.Labels, series.Value);
                        continue;
                    }

                    var (cumulative, sum, count) = series.Histogram();
                    for (var i = 0; i < family.Bounds.Count; i++)
                    {
                        writer.WriteSample(family.Name + "_bucket", series.Labels, cumulative[i], "le", PrometheusTextWriter.FormatValue(family.Bounds[i]));
                    }

                    writer.WriteSample(family.Name + "_bucket", series.Labels, count, "le", "+Inf");
                    writer.WriteSample(family.Name + "_sum", series.Labels, sum);
                    writer.WriteSample(family.Name + "_count", series.Labels, count);
                }
            }

            return writer.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>A histogram's own bucket bounds when it advises them, else the default (100 µs to 10 s).</summary>
    private static double[] BoundsOf(Instrument instrument) =>
        instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { } advised } ? [.. advised] : DefaultBounds;
}
