using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;

namespace Runtime.Abstractions.Analysis;

/// <summary>
/// The hosts the analysis knows exist: registered services (or, offline, Kubernetes Services from the files)
/// and ServiceEntry hosts. Offline, a cluster-local host nothing declares is unknowable rather than missing.
/// </summary>
internal sealed class HostRegistry
{
    private readonly Dictionary<string, List<MeshService>> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _wildcards = new(StringComparer.OrdinalIgnoreCase);
    private readonly SortedSet<string> _unchecked = new(StringComparer.Ordinal);
    private readonly bool _complete;

    public HostRegistry(IReadOnlyList<MeshService> services, IEnumerable<AnalyzedResource<ServiceEntrySpec>> entries, bool complete)
    {
        _complete = complete;
        foreach (var service in services)
        {
            Add(service.Host);
            if (!_services.TryGetValue(service.Host, out var list))
            {
                _services[service.Host] = list = [];
            }

            list.Add(service);
        }

        foreach (var entry in entries)
        {
            foreach (var host in entry.Spec.Hosts ?? [])
            {
                Add(host);
                // A short ServiceEntry host is also found under the name a short destination resolves to.
                Add(ServiceHosts.Qualify(host, entry.Namespace));
                // Offline, a ServiceEntry's own endpoints are all that is known of it; online the registry already lists them.
                if (!_services.ContainsKey(host) && entry.Spec.Endpoints is { Count: > 0 } endpoints)
                {
                    _services[host] = [new MeshService
                    {
                        Name = entry.Name,
                        Namespace = entry.Namespace,
                        Host = host,
                        Endpoints = [.. endpoints.Select(e => new MeshEndpoint { Address = e.Address ?? "", Port = 0, Labels = e.Labels ?? new Dictionary<string, string>() })],
                    }];
                }
            }
        }
    }

    /// <summary>Cluster-local hosts that were looked up but could not be judged (offline).</summary>
    public IReadOnlyList<string> Unchecked => [.. _unchecked];

    /// <summary>Every host known to exist, for "did you mean" suggestions.</summary>
    public IEnumerable<string> KnownHosts => _exact;

    /// <summary>
    /// True when the host exists, false when it certainly does not, null when that cannot be told offline.
    /// A wildcard host exists when it covers or is covered by a known host.
    /// </summary>
    public bool? Exists(string host)
    {
        var found = MeshHostNames.IsWildcard(host)
            ? host == "*" || _exact.Any(h => MeshHostNames.Overlap(host, h)) || _wildcards.Any(w => MeshHostNames.Overlap(host, w))
            : _exact.Contains(host) || _wildcards.Any(w => MeshHostNames.Covers(w, host));
        if (found)
        {
            return true;
        }

        if (!_complete && MeshHostNames.IsClusterLocal(host))
        {
            _unchecked.Add(host);
            return null;
        }

        return false;
    }

    /// <summary>Every endpoint known for an exact host; empty when none are known.</summary>
    public IReadOnlyList<MeshEndpoint> EndpointsOf(string host) =>
        _services.TryGetValue(host, out var services) ? [.. services.SelectMany(s => s.Endpoints)] : [];

    private void Add(string host)
    {
        if (MeshHostNames.IsWildcard(host))
        {
            _wildcards.Add(host);
        }
        else if (host.Length > 0)
        {
            _exact.Add(host);
        }
    }
}
