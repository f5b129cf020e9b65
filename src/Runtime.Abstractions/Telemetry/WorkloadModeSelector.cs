namespace Runtime.Abstractions.Telemetry;

/// <summary>Selects client-side, server-side or both.</summary>
public sealed record WorkloadModeSelector
{
    /// <summary>Which side.</summary>
    public WorkloadMode? Mode { get; init; }
}
