using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.LoadBalancing;

/// <summary>
/// <c>PASSTHROUGH</c>: no balancing, the original destination. In this mesh the request names a host, not an IP,
/// so the original destination is the endpoint whose address is the addressed host, else the first endpoint, and,
/// for a cluster without endpoints (a ServiceEntry with resolution NONE), the addressed host and port themselves.
/// </summary>
internal sealed class PassthroughBalancer(IReadOnlyList<MeshEndpoint> endpoints) : LoadBalancer(endpoints)
{
    /// <inheritdoc />
    public override string Policy => "PASSTHROUGH";

    /// <inheritdoc />
    public override MeshEndpoint? Pick(in RequestView request)
    {
        foreach (var endpoint in Endpoints)
        {
            if (string.Equals(endpoint.Address, request.Host, StringComparison.OrdinalIgnoreCase))
            {
                return endpoint;
            }
        }

        return Endpoints.Count > 0 ? Endpoints[0]
            : request.Port is int port ? new MeshEndpoint { Address = request.Host, Port = port }
            : null;
    }
}
