namespace Runtime.Sidecar.Metrics;

/// <summary>
/// Envoy's default histogram bounds, which Istio's standard metrics use for durations (milliseconds) and sizes
/// (bytes) alike.
/// </summary>
internal static class IstioBuckets
{
    /// <summary>0.5 to 3 600 000, as Envoy's stats sink exports them.</summary>
    public static readonly double[] Bounds = [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000];
}
