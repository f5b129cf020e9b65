using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>How new endpoints ramp up to their full share of traffic (Istio's <c>WarmupConfiguration</c>).</summary>
public sealed record WarmupSettings
{
    /// <summary>Length of the ramp-up.</summary>
    public MeshDuration? Duration { get; init; }

    /// <summary>Share of traffic a new endpoint gets at the start, 0 to 100.</summary>
    public double? MinimumPercent { get; init; }

    /// <summary>Curve of the ramp: 1 is linear, larger values hold back longer.</summary>
    public double? Aggression { get; init; }
}
