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
        if (snapshot.Trust is { } trust)
        {
            message.Trust = new V1.TrustBundle { RootsPem = trust.RootsPem, Generation = trust.Generation, SigningRootSha256 = trust.SigningRootSha256 };
            message.Trust.TrustDomains.AddRange(trust.TrustDomains);
        }

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
            Trust = message.Trust is { } trust ? new MeshTrustBundle(trust.RootsPem, [.. trust.TrustDomains], trust.Generation, trust.SigningRootSha256) : null,
        };
    }

    /// <summary>A complete outlier report for a heartbeat: <paramref name="statuses"/> replace whatever the proxy reported before.</summary>
    public static V1.OutlierReport ToReport(IEnumerable<EndpointOutlierStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var report = new V1.OutlierReport();
        report.Endpoints.AddRange(statuses.Select(ToMessage));
        return report;
    }

    /// <summary>Converts one endpoint's outlier status to its wire message.</summary>
    public static V1.EndpointOutlierStatus ToMessage(EndpointOutlierStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new V1.EndpointOutlierStatus
        {
            Host = status.Host,
            Address = status.Address,
            Port = status.Port,
            Ejected = status.Ejected,
            EjectionCount = status.EjectionCount,
            EjectedUntil = status.EjectedUntil is { } until ? Timestamp.FromDateTimeOffset(until) : null,
            Reason = status.Reason ?? "",
        };
    }

    /// <summary>Converts a wire outlier status to the domain type (an empty reason becomes null).</summary>
    public static EndpointOutlierStatus FromMessage(V1.EndpointOutlierStatus message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new EndpointOutlierStatus(
            message.Host,
            message.Address,
            message.Port,
            message.Ejected,
            message.EjectionCount,
            message.EjectedUntil?.ToDateTimeOffset(),
            message.Reason.Length > 0 ? message.Reason : null);
    }

    /// <summary>Converts the mesh's aggregated outlier state to the ListEndpointHealth answer.</summary>
    public static V1.ListEndpointHealthResponse ToMessage(MeshOutlierHealth health)
    {
        ArgumentNullException.ThrowIfNull(health);
        var message = new V1.ListEndpointHealthResponse { ReportingProxies = health.ReportingProxies };
        message.Endpoints.AddRange(health.Endpoints.Select(e =>
        {
            var endpoint = new V1.EndpointOutlierHealth
            {
                Host = e.Host,
                Address = e.Address,
                Port = e.Port,
                EjectedBy = e.EjectedBy,
                MaxEjectionCount = e.MaxEjectionCount,
                LastReason = e.LastReason ?? "",
            };
            endpoint.Reports.AddRange(e.Reports.Select(r => new V1.ProxyOutlierStatus
            {
                ProxyId = r.ProxyId,
                Status = ToMessage(r.Status),
                Reported = Timestamp.FromDateTimeOffset(r.Reported),
            }));
            return endpoint;
        }));
        return message;
    }

    /// <summary>Converts a ListEndpointHealth answer to the domain type.</summary>
    public static MeshOutlierHealth FromMessage(V1.ListEndpointHealthResponse message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new MeshOutlierHealth(
            message.ReportingProxies,
            [.. message.Endpoints.Select(e => new EndpointOutlierHealth(
                e.Host,
                e.Address,
                e.Port,
                e.EjectedBy,
                e.MaxEjectionCount,
                e.LastReason.Length > 0 ? e.LastReason : null,
                [.. e.Reports.Select(r => new ProxyOutlierStatus(
                    r.ProxyId,
                    r.Status is { } status ? FromMessage(status) : new EndpointOutlierStatus(e.Host, e.Address, e.Port, false, 0, null, null),
                    r.Reported?.ToDateTimeOffset() ?? default))]))]);
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
                MtlsDisabled = e.MtlsDisabled,
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
            MtlsDisabled = e.MtlsDisabled,
        })],
    };
}
