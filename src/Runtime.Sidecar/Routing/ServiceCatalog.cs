using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// The hosts this sidecar can call: the snapshot's services plus the hosts of visible ServiceEntries. A ServiceEntry
/// host the snapshot also lists as a service takes that service's endpoints; otherwise its inline endpoints, or, for
/// DNS resolution without endpoints, the host itself on each declared port.
/// </summary>
internal sealed class ServiceCatalog
{
    private readonly Dictionary<string, CatalogService> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CatalogService> _wildcards = [];

    /// <summary>Builds the catalog.</summary>
    public ServiceCatalog(IReadOnlyList<MeshService> services, IEnumerable<BoundResource<ServiceEntrySpec>> serviceEntries, string selfNamespace)
    {
        foreach (var service in services)
        {
            _exact.TryAdd(service.Host.ToLowerInvariant(), new CatalogService(service.Host.ToLowerInvariant(), service.Namespace, service.Endpoints, service.Ports, false));
        }

        foreach (var entry in serviceEntries)
        {
            if (!MeshHosts.IsVisible(entry.Spec.ExportTo, entry.Namespace, selfNamespace))
            {
                continue;
            }

            var ports = (entry.Spec.Ports ?? []).Where(p => p.Number is not null).Select(p => p.Number!.Value).ToArray();
            foreach (var raw in entry.Spec.Hosts ?? [])
            {
                var host = raw.Trim().ToLowerInvariant();
                var known = _exact.TryGetValue(host, out var existing) ? existing.Endpoints : null;
                var service = new CatalogService(
                    host,
                    entry.Namespace,
                    known ?? InlineEndpoints(entry.Spec, host, ports),
                    existing?.Ports is { Count: > 0 } declared ? declared : ports,
                    entry.Spec.Resolution is null or ServiceResolution.None);
                if (MeshHosts.IsWildcard(host))
                {
                    _wildcards.Add(service);
                }
                else
                {
                    _exact[host] = service;
                }
            }
        }

        _wildcards.Sort((a, b) => MeshHosts.Specificity(b.Host).CompareTo(MeshHosts.Specificity(a.Host)));
    }

    /// <summary>Every exact (non-wildcard) host.</summary>
    public IEnumerable<CatalogService> ExactHosts => _exact.Values;

    /// <summary>Every wildcard ServiceEntry host, most specific first.</summary>
    public IReadOnlyList<CatalogService> WildcardHosts => _wildcards;

    /// <summary>Finds the service for a host: exact first, then the most specific wildcard ServiceEntry host covering it.</summary>
    public CatalogService? Find(string host)
    {
        if (_exact.TryGetValue(host, out var service))
        {
            return service;
        }

        foreach (var wildcard in _wildcards)
        {
            if (wildcard.Host == host || MeshHosts.WildcardCovers(wildcard.Host, host))
            {
                return wildcard;
            }
        }

        return null;
    }

    private static MeshEndpoint[] InlineEndpoints(ServiceEntrySpec spec, string host, int[] ports)
    {
        if (spec.Endpoints is { Count: > 0 } entries)
        {
            return entries.Where(e => !string.IsNullOrEmpty(e.Address)).Select(e => new MeshEndpoint
            {
                Address = e.Address!,
                Port = e.Ports?.Values.FirstOrDefault() is int p and > 0 ? p : ports.FirstOrDefault(),
                Labels = e.Labels ?? new Dictionary<string, string>(),
                ServiceAccount = e.ServiceAccount ?? "default",
            }).ToArray();
        }

        return spec.Resolution is ServiceResolution.Dns or ServiceResolution.DnsRoundRobin && !MeshHosts.IsWildcard(host)
            ? ports.Select(p => new MeshEndpoint { Address = host, Port = p }).ToArray()
            : [];
    }
}
