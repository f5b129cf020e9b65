using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.LoadBalancing;

/// <summary>
/// <c>LEAST_REQUEST</c> (and its alias <c>LEAST_CONN</c>): Envoy's power of two choices. Two distinct endpoints are
/// drawn at random and the one with fewer in-flight requests (<see cref="LoadBalancer.Acquire"/>) wins; a tie goes
/// to the first drawn. Drawing distinct endpoints (Envoy may draw the same one twice) means a busy endpoint is
/// never chosen over an idle one.
/// </summary>
internal sealed class LeastRequestBalancer(IReadOnlyList<MeshEndpoint> endpoints) : LoadBalancer(endpoints)
{
    /// <inheritdoc />
    public override string Policy => "LEAST_REQUEST";

    /// <inheritdoc />
    public override MeshEndpoint? Pick(in RequestView request)
    {
        var count = Endpoints.Count;
        if (count <= 1)
        {
            return count == 0 ? null : Endpoints[0];
        }

        var first = Random.Shared.Next(count);
        var second = Random.Shared.Next(count - 1);
        if (second >= first)
        {
            second++;
        }

        return Endpoints[InFlightAt(second) < InFlightAt(first) ? second : first];
    }
}
