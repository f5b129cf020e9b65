using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.LoadBalancing;

/// <summary><c>RANDOM</c>: a uniformly random endpoint from the shared thread-safe random source.</summary>
internal sealed class RandomBalancer(IReadOnlyList<MeshEndpoint> endpoints) : LoadBalancer(endpoints)
{
    /// <inheritdoc />
    public override string Policy => "RANDOM";

    /// <inheritdoc />
    public override MeshEndpoint? Pick(in RequestView request) =>
        Endpoints.Count == 0 ? null : Endpoints[Random.Shared.Next(Endpoints.Count)];
}
