using Google.Protobuf.WellKnownTypes;
using Runtime.Abstractions.Discovery;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Abstractions.Api;

/// <summary>Maps discovery snapshots between domain types and <c>runtime.mesh.v1</c> messages.</summary>
public static class DiscoveryMessages
{
    /// <summary>Converts a snapshot to its wire message.</summary>
    public static V1.ProxySnapshot ToMessage(ProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var message = new V1.ProxySnapshot
        {
            Version = snapshot.Version,
            Created = Timestamp.FromDateTimeOffset(snapshot.Created),
            ProxyId = snapshot.ProxyId,
            Revision = snapshot.Revision,
        };
        message.Resources.AddRange(snapshot.Resources.Select(ResourceMessages.ToMessage));
        message.Services.AddRange(snapshot.Services.Select(ToMessage));
        return message;
    }

    /// <summary>Converts a wire snapshot to the domain type.</summary>
    public static ProxySnapshot FromMessage(V1.ProxySnapshot message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ProxySnapshot
        {
            Version = message.Version,
            Created = message.Created is { } created ? created.ToDateTimeOffset() : default,
            ProxyId = message.ProxyId,
            Revision = message.Revision,
            Resources = [.. message.Resources.Select(r => ResourceMessages.FromMessage(r))],
            Services = [.. message.Services.Select(FromMessage)],
        };
    }

    private static V1.Service ToMessage(MeshService service)
    {
        var message = new V1.Service { Name = service.Name, Namespace = service.Namespace, Host = service.Host };
        message.Ports.AddRange(service.Ports);
        message.Endpoints.AddRange(service.Endpoints.Select(e =>
        {
            var endpoint = new V1.Endpoint
            {
                Address = e.Address,
                Port = e.Port,
                Health = e.Health switch
                {
                    EndpointHealth.Unhealthy => V1.EndpointHealth.Unhealthy,
                    EndpointHealth.Draining => V1.EndpointHealth.Draining,
                    _ => V1.EndpointHealth.Healthy,
                },
                ProxyId = e.ProxyId,
                ServiceAccount = e.ServiceAccount,
                Instance = e.Instance,
            };
            foreach (var (key, value) in e.Labels)
            {
                endpoint.Labels[key] = value;
            }

            return endpoint;
        }));
        return message;
    }

    private static MeshService FromMessage(V1.Service message) => new()
    {
        Name = message.Name,
        Namespace = message.Namespace,
        Host = message.Host,
        Ports = [.. message.Ports],
        Endpoints = [.. message.Endpoints.Select(e => new MeshEndpoint
        {
            Address = e.Address,
            Port = e.Port,
            Labels = new Dictionary<string, string>(e.Labels, StringComparer.Ordinal),
            Health = e.Health switch
            {
                V1.EndpointHealth.Unhealthy => EndpointHealth.Unhealthy,
                V1.EndpointHealth.Draining => EndpointHealth.Draining,
                _ => EndpointHealth.Healthy,
            },
            ProxyId = e.ProxyId,
            ServiceAccount = e.ServiceAccount.Length > 0 ? e.ServiceAccount : "default",
            Instance = e.Instance,
        })],
    };
}
