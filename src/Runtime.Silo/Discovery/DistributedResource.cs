using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;

namespace Runtime.Silo.Discovery;

/// <summary>
/// A stored resource that sidecars receive, with what distribution needs from its spec worked out once per
/// change: who may see it, and (for a ServiceEntry) the services it declares.
/// </summary>
internal sealed record DistributedResource
{
    /// <summary>The kinds pushed to sidecars.</summary>
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal)
    {
        MeshKinds.VirtualService.Kind, MeshKinds.DestinationRule.Kind, MeshKinds.ServiceEntry.Kind,
        MeshKinds.AuthorizationPolicy.Kind, MeshKinds.RequestAuthentication.Kind, MeshKinds.PeerAuthentication.Kind,
        MeshKinds.Telemetry.Kind, // access logs (issue 6)
        MeshKinds.MeshConfig.Kind, // mesh config telemetry defaults (issue 6)
    };

    public required MeshResource Resource { get; init; }

    public required ExportScope Export { get; init; }

    /// <summary>False for a VirtualService bound only to ingress gateways: sidecars do not apply it.</summary>
    public bool AppliesToMesh { get; init; } = true;

    /// <summary>Services a ServiceEntry adds to the registry; empty for other kinds.</summary>
    public IReadOnlyList<MeshService> Services { get; init; } = [];

    public ResourceKey Key => Resource.Key;

    /// <summary>Whether proxies of <paramref name="proxyNamespace"/> receive this resource.</summary>
    public bool IsVisibleTo(string proxyNamespace) => AppliesToMesh && Export.Includes(Resource.Metadata.Namespace, proxyNamespace);

    /// <summary>The distribution view of <paramref name="resource"/>, or null for a kind sidecars do not receive.</summary>
    public static DistributedResource? From(MeshResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (resource.Kind == MeshKinds.VirtualService.Kind)
        {
            var spec = MeshKinds.VirtualService.Bind(resource.Spec).Value as VirtualServiceSpec;
            var gateways = spec?.Gateways;
            return new DistributedResource
            {
                Resource = resource,
                Export = ExportScope.Parse(spec?.ExportTo),
                AppliesToMesh = gateways is null || gateways.Count == 0 || gateways.Contains("mesh"),
            };
        }

        if (resource.Kind == MeshKinds.DestinationRule.Kind)
        {
            var spec = MeshKinds.DestinationRule.Bind(resource.Spec).Value as DestinationRuleSpec;
            return new DistributedResource { Resource = resource, Export = ExportScope.Parse(spec?.ExportTo) };
        }

        if (resource.Kind == MeshKinds.ServiceEntry.Kind)
        {
            var spec = MeshKinds.ServiceEntry.Bind(resource.Spec).Value as ServiceEntrySpec;
            return new DistributedResource
            {
                Resource = resource,
                Export = ExportScope.Parse(spec?.ExportTo),
                Services = spec is null ? [] : ServiceEntryServices(resource.Metadata.Namespace, spec),
            };
        }

        // Security policies: proxies of the policy's own namespace, and every proxy for the root namespace's.
        // Workload selectors are matched by the sidecar itself (it knows its labels; content here is per namespace).
        // PeerAuthentication has no exportTo either.
        if (resource.Kind == MeshKinds.AuthorizationPolicy.Kind || resource.Kind == MeshKinds.RequestAuthentication.Kind || resource.Kind == MeshKinds.PeerAuthentication.Kind)
        {
            return new DistributedResource { Resource = resource, Export = PolicyScope(resource.Metadata.Namespace) };
        }

        // Telemetry (issue 6): scoped like the security policies (root namespace = mesh-wide, selector matched by the sidecar).
        if (resource.Kind == MeshKinds.Telemetry.Kind)
        {
            return new DistributedResource { Resource = resource, Export = PolicyScope(resource.Metadata.Namespace) };
        }

        // Mesh config (issue 6): one per mesh, every proxy receives it.
        if (resource.Kind == MeshKinds.MeshConfig.Kind)
        {
            return new DistributedResource { Resource = resource, Export = ExportScope.Everywhere };
        }

        return null;
    }

    private static ExportScope PolicyScope(string ns) => RootNamespaces.Contains(ns) ? ExportScope.Everywhere : ExportScope.Parse(["."]);

    /// <summary>One service per host; endpoints only for STATIC resolution, one per (endpoint, service port).</summary>
    private static List<MeshService> ServiceEntryServices(string ns, ServiceEntrySpec spec)
    {
        var ports = spec.Ports ?? [];
        var endpoints = new List<MeshEndpoint>();
        if (spec.Resolution == ServiceResolution.Static)
        {
            foreach (var entry in spec.Endpoints ?? [])
            {
                if (string.IsNullOrEmpty(entry.Address))
                {
                    continue;
                }

                var numbers = ports.Count == 0
                    ? (entry.Ports?.Values ?? []).ToList()
                    : [.. ports.Select(p => p.Name is { } name && entry.Ports?.TryGetValue(name, out var mapped) == true ? mapped : p.TargetPort ?? p.Number ?? 0)];
                foreach (var number in numbers.Where(n => n > 0).Distinct())
                {
                    endpoints.Add(new MeshEndpoint
                    {
                        Address = entry.Address,
                        Port = number,
                        Labels = entry.Labels ?? new Dictionary<string, string>(),
                        ServiceAccount = string.IsNullOrEmpty(entry.ServiceAccount) ? "default" : entry.ServiceAccount,
                    });
                }
            }
        }

        int[] declared = [.. ports.Where(p => p.Number is > 0).Select(p => p.Number!.Value)];
        return [.. (spec.Hosts ?? []).Distinct(StringComparer.Ordinal).Select(host => new MeshService
        {
            Name = host,
            Namespace = ns,
            Host = host,
            Ports = declared,
            Endpoints = endpoints,
        })];
    }
}
