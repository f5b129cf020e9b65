using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// Builds the host table and cluster factory from a snapshot. VirtualService selection follows Istio for sidecars:
/// <list type="bullet">
/// <item>only VirtualServices bound to the mesh (no <c>gateways</c>, or <c>gateways</c> containing <c>mesh</c>) and
/// exported to the sidecar's namespace are used;</item>
/// <item>they are ordered as Istio's index returns them: private to the sidecar's namespace (<c>exportTo: .</c>),
/// then exported to it by name, then public; within each group oldest first (creation time, then name);</item>
/// <item>one VirtualService per host: a sidecar does not merge VirtualServices (Istio merges only those bound to
/// gateways; for the mesh it reports IST0109 ConflictingMeshGatewayVirtualServiceHosts), so the first in that
/// order wins the host and later ones are reported and ignored for it;</item>
/// <item>a service without an exact-host VirtualService takes the most specific wildcard VirtualService covering
/// it, else the default route.</item>
/// </list>
/// </summary>
internal sealed class RouteTableBuilder(ProxySnapshot snapshot, SidecarIdentity self, RouteTableOptions options)
{
    private readonly RouteProblems _problems = new();

    /// <summary>Builds everything; problems are collected, never thrown.</summary>
    public (HostTable Hosts, ClusterFactory Clusters, IReadOnlyList<Abstractions.Validation.ValidationIssue> Problems) Build()
    {
        var virtualServices = Bind<VirtualServiceSpec>(MeshKinds.VirtualService);
        var catalog = new ServiceCatalog(snapshot.Services, Bind<ServiceEntrySpec>(MeshKinds.ServiceEntry), self.Namespace);
        var rules = new DestinationRuleIndex(Bind<DestinationRuleSpec>(MeshKinds.DestinationRule), self, options, _problems);

        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var service in catalog.ExactHosts)
        {
            foreach (var alias in MeshHosts.Aliases(service.Host, self.Namespace, options.DomainSuffix))
            {
                aliases.TryAdd(alias, service.Host);
            }
        }

        string Canonical(string host) => aliases.TryGetValue(host, out var fqdn) ? fqdn : catalog.Find(host)?.Host ?? host;
        var compiler = new RouteCompiler(self, options, Canonical, h => catalog.Find(h) is not null, _problems);

        // Host -> the VirtualService that owns it, first in Istio's order wins.
        var owners = new Dictionary<string, (BoundResource<VirtualServiceSpec> Vs, VirtualHostRoutes Routes)>(StringComparer.OrdinalIgnoreCase);
        foreach (var vs in SelectForMesh(virtualServices))
        {
            var routes = new VirtualHostRoutes(vs.DisplayName, compiler.Compile(vs));
            foreach (var (raw, i) in (vs.Spec.Hosts ?? []).Select((h, i) => (h, i)))
            {
                var host = Canonical(MeshHosts.Qualify(raw, vs.Namespace, options.DomainSuffix));
                if (host.Length == 0)
                {
                    _problems.Error(vs.Resource, $"spec.hosts[{i}]", "host is empty", "remove the entry or name a host");
                }
                else if (owners.TryGetValue(host, out var owner))
                {
                    _problems.Warning(vs.Resource, $"spec.hosts[{i}]",
                        $"host '{host}' is already routed by VirtualService {owner.Vs.DisplayName}; a sidecar uses one VirtualService per host (the oldest), so this one's rules are ignored for it (IST0109)",
                        "merge the rules into one VirtualService, or scope one of them with exportTo");
                }
                else
                {
                    owners.Add(host, (vs, routes));
                }
            }
        }

        var wildcardOwners = owners.Where(o => MeshHosts.IsWildcard(o.Key)).OrderByDescending(o => MeshHosts.Specificity(o.Key)).ToArray();
        VirtualHost For(string host)
        {
            if (owners.TryGetValue(host, out var exact))
            {
                return exact.Routes.For(host);
            }

            foreach (var (pattern, owner) in wildcardOwners)
            {
                if (MeshHosts.WildcardCovers(pattern, host))
                {
                    return owner.Routes.For(host);
                }
            }

            return VirtualHost.DefaultRoute(host);
        }

        var table = new HostTable();
        foreach (var service in catalog.ExactHosts)
        {
            var virtualHost = For(service.Host);
            foreach (var alias in MeshHosts.Aliases(service.Host, self.Namespace, options.DomainSuffix))
            {
                table.TryAdd(alias, virtualHost);
            }
        }

        foreach (var (host, owner) in owners)
        {
            if (MeshHosts.IsWildcard(host))
            {
                table.AddWildcard(host, owner.Routes.For(host));
            }
            else if (!table.Contains(host))
            {
                var virtualHost = owner.Routes.For(host);
                foreach (var alias in MeshHosts.Aliases(host, self.Namespace, options.DomainSuffix))
                {
                    table.TryAdd(alias, virtualHost);
                }
            }
        }

        foreach (var entry in catalog.WildcardHosts)
        {
            table.AddWildcard(entry.Host, For(entry.Host));
        }

        return (table, new ClusterFactory(catalog, rules), _problems.Issues);
    }

    private IEnumerable<BoundResource<VirtualServiceSpec>> SelectForMesh(List<BoundResource<VirtualServiceSpec>> all) => all
        .Where(vs => MeshHosts.IsVisible(vs.Spec.ExportTo, vs.Namespace, self.Namespace))
        .Where(vs => vs.Spec.Gateways is not { Count: > 0 } gateways || gateways.Contains("mesh")
            || (vs.Spec.Http ?? []).Any(r => (r.Match ?? []).Any(m => m.Gateways?.Contains("mesh") == true)))
        .OrderBy(vs => ExportGroup(vs))
        .ThenBy(vs => vs.Resource.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
        .ThenBy(vs => vs.Resource.Metadata.Name, StringComparer.Ordinal)
        .ThenBy(vs => vs.Namespace, StringComparer.Ordinal);

    private int ExportGroup(BoundResource<VirtualServiceSpec> vs)
    {
        var exportTo = vs.Spec.ExportTo ?? [];
        return vs.Namespace == self.Namespace && exportTo.Contains(".") ? 0
            : exportTo.Contains(self.Namespace) ? 1
            : 2;
    }

    private List<BoundResource<T>> Bind<T>(MeshKind kind)
        where T : class
    {
        var bound = new List<BoundResource<T>>();
        foreach (var resource in snapshot.Resources)
        {
            if (!MeshKinds.TryGet(resource.ApiVersion, resource.Kind, out var found) || found != kind)
            {
                continue;
            }

            var spec = found.Bind(resource.Spec);
            _problems.AddRange(spec.Issues.Select(i => i with { Kind = resource.Kind, Namespace = resource.Metadata.Namespace, Name = resource.Metadata.Name }));
            if (!spec.HasErrors && spec.Value is T value)
            {
                bound.Add(new BoundResource<T>(resource, value));
            }
        }

        return bound;
    }
}
