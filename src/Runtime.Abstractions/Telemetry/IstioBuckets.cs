namespace Runtime.Abstractions.Telemetry;

/// <summary>
/// Envoy's default histogram bounds, which Istio's standard metrics use for durations (milliseconds) and sizes
/// (bytes) alike. Shared by the sidecar (which counts into them) and the control plane (which merges the counts
/// sidecars report and reads quantiles from them).
/// </summary>
public static class IstioBuckets
{
    private static readonly double[] BoundsArray = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];

    /// <summary>0.5 to 3 600 000, as Envoy's stats sink exports them; a bucket's bound is inclusive (<c>le</c>).</summary>
    public static IReadOnlyList<double> Bounds => BoundsArray;

    /// <summary>A fresh copy of <see cref="Bounds"/>, for a histogram that needs its own array.</summary>
    public static double[] CopyBounds() => [.. BoundsArray];
}
