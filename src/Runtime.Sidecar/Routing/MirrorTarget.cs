namespace Runtime.Sidecar.Routing;

/// <summary>A cluster to send a copy of the request to, fire-and-forget.</summary>
/// <param name="Cluster">Where the copy goes.</param>
/// <param name="Percentage">Share of requests to mirror, 0..100 (Istio's default is 100).</param>
internal sealed record MirrorTarget(ClusterKey Cluster, double Percentage)
{
    /// <summary>Decides, for one request, whether it is mirrored (uses a thread-safe shared random source).</summary>
    public bool ShouldMirror() => Percentage >= 100 || (Percentage > 0 && Random.Shared.NextDouble() * 100 < Percentage);
}
