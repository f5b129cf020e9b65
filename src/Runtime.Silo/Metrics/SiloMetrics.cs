using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Runtime.Abstractions.Resources;
using Runtime.Silo.Store;

namespace Runtime.Silo.Metrics;

/// <summary>
/// The silo's instruments on the <c>Runtime.Silo</c> meter. Components that own state (the store)
/// add their observable gauges to <see cref="Meter"/> themselves.
/// </summary>
internal sealed class SiloMetrics
{
    /// <summary>The meter name every silo instrument lives under.</summary>
    public const string MeterName = "Runtime.Silo";

    private readonly Histogram<double> _storeOperationDuration;
    private readonly Counter<long> _applies;
    private readonly Counter<long> _validationRejections;

    /// <summary>Label sets made once: every known kind, plus <c>unknown</c> for anything else (bounds the series).</summary>
    private static readonly FrozenDictionary<string, KeyValuePair<string, object?>> KindTags =
        MeshKinds.All.Select(k => k.Kind).Append(UnknownKind)
            .ToFrozenDictionary(k => k, k => new KeyValuePair<string, object?>("kind", k), StringComparer.Ordinal);

    private const string UnknownKind = "unknown";

    public SiloMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(time);
        Meter = meterFactory.Create(new MeterOptions(MeterName));
        _storeOperationDuration = Meter.CreateHistogram<double>(
            "silo.store.operation.duration", unit: "s", description: "Duration of config store operations.");
        _applies = Meter.CreateCounter<long>(
            "silo.store.applies", description: "Resources applied to the config store, by outcome (conflict counts whole failed applies).");
        _validationRejections = Meter.CreateCounter<long>(
            "silo.config.validation.rejections",
            description: "Resources with validation errors in applies the API rejected, by kind (unknown: unreadable documents and unsupported kinds).");
        var started = time.GetTimestamp();
        Meter.CreateObservableGauge(
            "silo.uptime", () => time.GetElapsedTime(started).TotalSeconds, unit: "s", description: "Seconds since the silo started.");
    }

    public Meter Meter { get; }

    /// <summary>
    /// Records zero for every known label set, so a scrape shows each series before its first event. The
    /// <see cref="MetricsCollector"/> calls this once it listens: this meter exists before the collector does.
    /// </summary>
    public void RecordZeroSeries()
    {
        foreach (var tag in KindTags.Values)
        {
            _validationRejections.Add(0, tag);
        }

        foreach (var outcome in new[] { "created", "configured", "unchanged", "conflict" })
        {
            _applies.Add(0, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void RecordStoreOperation(string operation, TimeSpan duration) =>
        _storeOperationDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void RecordApplied(ApplyOutcome outcome, long count)
    {
        if (count > 0)
        {
            _applies.Add(count, new KeyValuePair<string, object?>("outcome", OutcomeLabel(outcome)));
        }
    }

    /// <summary>An apply was rejected: one count per resource that had errors, under its kind.</summary>
    /// <param name="kind">The kind as written (any case, plural or short name), or null when the document had none.</param>
    public void RecordValidationRejected(string? kind)
    {
        var label = kind is not null && MeshKinds.TryResolve(kind, out var resolved) ? resolved.Kind : UnknownKind;
        _validationRejections.Add(1, KindTags.TryGetValue(label, out var tag) ? tag : KindTags[UnknownKind]);
    }

    public void RecordApplyConflict() => _applies.Add(1, new KeyValuePair<string, object?>("outcome", "conflict"));

    private static string OutcomeLabel(ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Created => "created",
        ApplyOutcome.Configured => "configured",
        _ => "unchanged",
    };
}
