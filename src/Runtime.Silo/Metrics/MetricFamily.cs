using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Silo.Metrics;

/// <summary>One instrument as a Prometheus metric family: its name, type and series by tag set.</summary>
internal sealed class MetricFamily
{
    private readonly ConcurrentDictionary<string, MetricSeries> _series = new(StringComparer.Ordinal);

    // Hot-path caches: most instruments record with no tag or one string tag, so those find their series
    // without building a key or a label array.
    private readonly ConcurrentDictionary<(string Key, string Value), MetricSeries> _singleTag = new();
    private MetricSeries? _untagged;

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

    /// <summary>
    /// <see cref="Series"/>, or one zero series with no labels for a counter or histogram nothing was recorded to
    /// yet, so a scrape shows the family from the start (as Prometheus client libraries do for unlabelled metrics).
    /// </summary>
    public IEnumerable<MetricSeries> SeriesOrZero => _series.IsEmpty && !IsObservable ? [new MetricSeries([], Bounds.Count)] : Series;

    /// <summary>Observable instruments report their full state on every collection, so old series are dropped first.</summary>
    public void ResetObserved()
    {
        if (IsObservable)
        {
            _series.Clear();
            _singleTag.Clear();
            _untagged = null;
        }
    }

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = Find(tags);
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

    private MetricSeries Find(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return _untagged ??= SeriesFor(tags);
        }

        if (tags.Length == 1 && tags[0].Value is string value)
        {
            var key = (tags[0].Key, value);
            if (!_singleTag.TryGetValue(key, out var series))
            {
                series = _singleTag.GetOrAdd(key, SeriesFor(tags));
            }

            return series;
        }

        return SeriesFor(tags);
    }

    private MetricSeries SeriesFor(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            labels[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return _series.GetOrAdd(Key(labels), _ => new MetricSeries(labels, Bounds.Count));
    }

    private static string Key(IReadOnlyList<KeyValuePair<string, string>> labels) =>
        string.Join('\u0001', labels.Select(l => l.Key + '\u0002' + l.Value));
}
