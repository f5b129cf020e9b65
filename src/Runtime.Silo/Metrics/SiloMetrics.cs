using System.Diagnostics.Metrics;
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

    public SiloMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(time);
        Meter = meterFactory.Create(new MeterOptions(MeterName));
        _storeOperationDuration = Meter.CreateHistogram<double>(
            "silo.store.operation.duration", unit: "s", description: "Duration of config store operations.");
        _applies = Meter.CreateCounter<long>(
            "silo.store.applies", description: "Resources applied to the config store, by outcome (conflict counts whole failed applies).");
        var started = time.GetTimestamp();
        Meter.CreateObservableGauge(
            "silo.uptime", () => time.GetElapsedTime(started).TotalSeconds, unit: "s", description: "Seconds since the silo started.");
    }

    public Meter Meter { get; }

    public void RecordStoreOperation(string operation, TimeSpan duration) =>
        _storeOperationDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));

    public void RecordApplied(ApplyOutcome outcome, long count)
    {
        if (count > 0)
        {
            _applies.Add(count, new KeyValuePair<string, object?>("outcome", OutcomeLabel(outcome)));
        }
    }

    public void RecordApplyConflict() => _applies.Add(1, new KeyValuePair<string, object?>("outcome", "conflict"));

    private static string OutcomeLabel(ApplyOutcome outcome) => outcome switch
    {
        ApplyOutcome.Created => "created",
        ApplyOutcome.Configured => "configured",
        _ => "unchanged",
    };
}
