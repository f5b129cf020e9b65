using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Silo.Metrics;

/// <summary>One instrument as a Prometheus metric family: its name, type and series by tag set.</summary>
internal sealed class MetricFamily
{
    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);

    public MetricFamily(Instrument instrument, IReadOnlyList<double> bounds)
    {
        Instrument = instrument;
        Bounds = bounds;
        var definition = instrument.GetType().GetGenericTypeDefinition();
        IsObservable = instrument.IsObservable;
        Type = definition == typeof(Histogram<>) ? "histogram"
            : definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? "counter"
            : "gauge";
        Accumulates = definition == typeof(Counter<>) || definition == typeof(UpDownCounter<>);
        var name = PrometheusTextWriter.SanitizeName(instrument.Name.Replace('.', '_'));
        name += instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        if (Type == "counter" && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        Name = name;
    }

    public Instrument Instrument { get; }

    public IReadOnlyList<double> Bounds { get; }

    public string Name { get; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; }

    public bool IsObservable { get; }

    /// <summary>Whether measurements are deltas to add (counters) rather than current values.</summary>
    public bool Accumulates { get; }

    public IEnumerable<MetricSeries> Series => _series.Values.OrderBy(s => Key(s.Labels), StringComparer.Ordinal);

    /// <summary>Observable instruments report their full state on every collection, so old series are dropped first.</summary>
    public void ResetObserved()
    {
        if (IsObservable)
        {
            _series.Clear();
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var series = _series.GetOrAdd(Key(labels), _ => new MetricSeries(labels, Bounds.Count));
        if (Type == "histogram")
        {
            series.Observe(value, Bounds);
        }
        else if (Accumulates)
        {
            series.Add(value);
        }
        else
        {
            series.Set(value);
        }
    }

    private static string Key(IReadOnlyList<KeyValuePair<string, string>> labels) =>
        string.Join('\u0001', labels.Select(l => l.Key + '\u0002' + l.Value));
}
