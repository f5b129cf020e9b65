using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>Ejects endpoints that keep failing.</summary>
public sealed record OutlierDetection
{
    /// <summary>Counts local-origin failures separately.</summary>
    public bool? SplitExternalLocalOriginErrors { get; init; }

    /// <summary>Local-origin failures before ejection.</summary>
    public int? ConsecutiveLocalOriginFailures { get; init; }

    /// <summary>502/503/504 responses before ejection.</summary>
    public int? ConsecutiveGatewayErrors { get; init; }

    /// <summary>5xx responses before ejection.</summary>
    public int? Consecutive5xxErrors { get; init; }

    /// <summary>Deprecated; use <c>consecutive5xxErrors</c>.</summary>
    [MeshDeprecated("consecutive5xxErrors")]
    public int? ConsecutiveErrors { get; init; }

    /// <summary>Time between ejection sweeps.</summary>
    public MeshDuration? Interval { get; init; }

    /// <summary>Minimum ejection time, multiplied by the number of ejections.</summary>
    public MeshDuration? BaseEjectionTime { get; init; }

    /// <summary>Maximum share of endpoints ejected at once.</summary>
    public int? MaxEjectionPercent { get; init; }

    /// <summary>Outlier detection turns off below this share of healthy endpoints.</summary>
    public int? MinHealthPercent { get; init; }

    /// <summary>Mesh extension (not in Istio's API): minimum requests in an interval before an endpoint can be ejected.</summary>
    public int? MinRequestVolume { get; init; }
}
