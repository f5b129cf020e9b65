using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// A DestinationRule's <c>outlierDetection</c> with Istio's defaults filled in (Istio translates the block into
/// Envoy's outlier detection; unset fields keep Envoy's defaults). Value equality, so a config push that leaves the
/// block unchanged leaves the detector untouched.
/// </summary>
/// <param name="Consecutive5xx">5xx responses in a row that eject an endpoint; 0 disables. Default 5.</param>
/// <param name="ConsecutiveGateway">502/503/504 responses in a row that eject; 0 disables (Istio's default).</param>
/// <param name="ConsecutiveLocalOrigin">Local-origin failures in a row that eject when split; 0 when not split.</param>
/// <param name="SplitLocalOrigin">Whether local-origin failures are counted apart from HTTP responses.</param>
/// <param name="Interval">How often ejections are reviewed (readmission, backoff decay). Default 10 s.</param>
/// <param name="BaseEjectionTime">The first ejection's length; the n-th lasts n times this. Default 30 s.</param>
/// <param name="MaxEjectionTime">The cap on an ejection's length: Envoy's <c>max_ejection_time</c> (300 s), or the base time if longer.</param>
/// <param name="MaxEjectionPercent">No ejection that would put more than this share of endpoints out (the first is always allowed). Default 10.</param>
/// <param name="MinHealthPercent">Below this share of non-ejected endpoints the cluster panics and uses all. Default 0 (never).</param>
/// <param name="MinRequestVolume">Mesh extension: requests an endpoint must have seen in the current interval before it can be ejected. Default 0.</param>
internal sealed record OutlierSettings(
    int Consecutive5xx,
    int ConsecutiveGateway,
    int ConsecutiveLocalOrigin,
    bool SplitLocalOrigin,
    TimeSpan Interval,
    TimeSpan BaseEjectionTime,
    TimeSpan MaxEjectionTime,
    int MaxEjectionPercent,
    int MinHealthPercent,
    int MinRequestVolume)
{
    /// <summary>Envoy's <c>max_ejection_time</c> default.</summary>
    public static readonly TimeSpan DefaultMaxEjectionTime = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Fills in the defaults; null when the policy has no <c>outlierDetection</c> (then nothing is ever ejected,
    /// as in Istio). Mappings that follow Istio's translation to Envoy:
    /// <list type="bullet">
    /// <item><c>consecutive5xxErrors</c> unset keeps Envoy's 5; 0 disables.</item>
    /// <item><c>consecutiveGatewayErrors</c> unset or 0 disables (Envoy does not enforce it by default).</item>
    /// <item>the deprecated <c>consecutiveErrors</c> counts gateway errors (502/503/504) only, as old Istio did, and
    /// then 5xx detection stays off unless <c>consecutive5xxErrors</c> is also set; an explicit
    /// <c>consecutiveGatewayErrors</c> wins over it.</item>
    /// <item><c>consecutiveLocalOriginFailures</c> applies only with <c>splitExternalLocalOriginErrors</c>; unset (or 0)
    /// keeps Envoy's 5.</item>
    /// <item><c>maxEjectionPercent</c> unset or 0 keeps Envoy's 10 % (Istio only passes values above 0).</item>
    /// <item><c>minHealthPercent</c> becomes the panic threshold; unset is 0, panic never.</item>
    /// </list>
    /// </summary>
    public static OutlierSettings? From(OutlierDetection? detection)
    {
        if (detection is null)
        {
            return null;
        }

        var legacy = detection.ConsecutiveErrors;
        var split = detection.SplitExternalLocalOriginErrors == true;
        var baseTime = detection.BaseEjectionTime?.Value ?? TimeSpan.FromSeconds(30);
        return new OutlierSettings(
            Consecutive5xx: detection.Consecutive5xxErrors ?? (legacy is > 0 ? 0 : 5),
            ConsecutiveGateway: detection.ConsecutiveGatewayErrors ?? legacy ?? 0,
            ConsecutiveLocalOrigin: split ? (detection.ConsecutiveLocalOriginFailures is > 0 and var n ? n : 5) : 0,
            SplitLocalOrigin: split,
            Interval: detection.Interval?.Value is { } interval && interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(10),
            BaseEjectionTime: baseTime,
            MaxEjectionTime: baseTime > DefaultMaxEjectionTime ? baseTime : DefaultMaxEjectionTime,
            MaxEjectionPercent: detection.MaxEjectionPercent is > 0 and var max ? Math.Min(max, 100) : 10,
            MinHealthPercent: Math.Clamp(detection.MinHealthPercent ?? 0, 0, 100),
            MinRequestVolume: Math.Max(detection.MinRequestVolume ?? 0, 0));
    }

    /// <summary>How long the <paramref name="ejections"/>-th ejection in a row lasts: base × n, capped.</summary>
    public TimeSpan EjectionTime(int ejections)
    {
        var ticks = (double)BaseEjectionTime.Ticks * Math.Max(ejections, 1);
        return ticks >= MaxEjectionTime.Ticks ? MaxEjectionTime : TimeSpan.FromTicks((long)ticks);
    }
}
