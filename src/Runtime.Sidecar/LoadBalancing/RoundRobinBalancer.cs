using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.LoadBalancing;

/// <summary><c>ROUND_ROBIN</c>: endpoints in order, one shared counter, starting at the first endpoint.</summary>
internal sealed class RoundRobinBalancer(IReadOnlyList<MeshEndpoint> endpoints) : LoadBalancer(endpoints)
{
    private int _next = -1;

    /// <inheritdoc />
    public override string Policy => "ROUND_ROBIN";

    /// <inheritdoc />
    public override MeshEndpoint? Pick(in RequestView request)
    {
        var count = Endpoints.Count;
        return count == 0 ? null : Endpoints[(int)((uint)Interlocked.Increment(ref _next) % (uint)count)];
    }
}
