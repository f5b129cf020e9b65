namespace Runtime.Sidecar.Routing;

/// <summary>
/// Request host to virtual host, as Envoy picks a virtual host: an exact domain first (every alias of every
/// service is registered up front, so short names cost one lookup), then wildcard domains, most specific first,
/// <c>*</c> last. Hosts compare case-insensitively.
/// </summary>
internal sealed class HostTable
{
    private readonly Dictionary<string, VirtualHost> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Pattern, VirtualHost Host)> _wildcards = [];

    /// <summary>Registers an exact name; the first registration of a name wins.</summary>
    public bool TryAdd(string name, VirtualHost host) => _exact.TryAdd(name, host);

    /// <summary>Registers a wildcard; the first registration of a pattern wins.</summary>
    public void AddWildcard(string pattern, VirtualHost host)
    {
        if (!_wildcards.Exists(w => w.Pattern == pattern))
        {
            _wildcards.Add((pattern, host));
            _wildcards.Sort((a, b) => b.Pattern.Length.CompareTo(a.Pattern.Length));
        }
    }

    /// <summary>Whether an exact name is registered.</summary>
    public bool Contains(string name) => _exact.ContainsKey(name);

    /// <summary>The virtual host for a request host, or null.</summary>
    public VirtualHost? Find(string host)
    {
        if (_exact.TryGetValue(host, out var exact))
        {
            return exact;
        }

        foreach (var (pattern, virtualHost) in _wildcards)
        {
            if (MeshHosts.WildcardCovers(pattern, host))
            {
                return virtualHost;
            }
        }

        return null;
    }
}
