using System.Collections.Concurrent;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// The routing state for one snapshot: immutable once built, read lock-free by every request. A new snapshot
/// builds a new table; the sidecar swaps the reference. Clusters are created on first use and memoized (the
/// memo is the only shared mutable state, and it is a concurrent map whose values never change).
/// With a <see cref="ClusterResilienceRegistry"/>, each cluster is linked to its long-lived resilience state, which
/// outlives the table; <see cref="Activate"/> re-attaches the clusters already in use and drops those that left.
/// </summary>
internal sealed class RouteTable
{
    private readonly HostTable _hosts;
    private readonly ClusterFactory _clusters;
    private readonly ConcurrentDictionary<ClusterKey, Cluster> _built = new();
    private readonly ClusterResilienceRegistry? _resilience;
    private long _generation;

    private RouteTable(string version, HostTable hosts, ClusterFactory clusters, ClusterResilienceRegistry? resilience)
    {
        Version = version;
        _hosts = hosts;
        _clusters = clusters;
        _resilience = resilience;
    }

    /// <summary>The snapshot version this table was built from.</summary>
    public string Version { get; }

    /// <summary>Compiles a snapshot for one sidecar; see <see cref="RouteTableBuilder"/> for the rules applied.</summary>
    /// <param name="snapshot">The pushed snapshot.</param>
    /// <param name="self">The sidecar's identity.</param>
    /// <param name="options">Mesh settings; <see cref="RouteTableOptions.Default"/> when null.</param>
    /// <param name="resilience">The sidecar's long-lived cluster state; null for a table without circuit breaking or outlier detection.</param>
    public static RouteTableBuild Build(ProxySnapshot snapshot, SidecarIdentity self, RouteTableOptions? options = null, ClusterResilienceRegistry? resilience = null)
    {
        var (hosts, clusters, problems) = new RouteTableBuilder(snapshot, self, options ?? RouteTableOptions.Default).Build();
        return new RouteTableBuild(new RouteTable(snapshot.Version, hosts, clusters, resilience), problems);
    }

    /// <summary>
    /// Call once, just before the table becomes current: every cluster with resilience state is rebuilt from this
    /// snapshot and re-attached (policy and endpoints re-applied, endpoint state kept), and clusters no longer in
    /// config are dropped from the registry. Not calling it (a refused snapshot) leaves the registry untouched.
    /// </summary>
    public void Activate()
    {
        if (_resilience is null)
        {
            return;
        }

        Volatile.Write(ref _generation, _resilience.NextGeneration());
        foreach (var key in _resilience.Keys.ToArray())
        {
            var cluster = _clusters.Create(key);
            if (cluster.MissingReason is not null)
            {
                _resilience.Drop(key);
                continue;
            }

            _built.TryAdd(key, Attached(cluster));
        }
    }

    /// <summary>Routes one request: the host's virtual host, then its first matching rule.</summary>
    public RouteDecision Route(in RequestView request)
    {
        var host = _hosts.Find(request.Host);
        return host is null
            ? new NoRoute($"no service, ServiceEntry or VirtualService host matches '{request.Host}' (authority '{request.Authority}')")
            : host.Route(request);
    }

    /// <summary>The virtual host a host name resolves to (exact alias, then wildcard), or null: TCP routing (issue 6) resolves hosts as HTTP does.</summary>
    public VirtualHost? FindHost(string host) => _hosts.Find(host);

    /// <summary>The cluster for a key; unknown hosts or subsets give an empty cluster whose <see cref="Cluster.MissingReason"/> says why.</summary>
    public Cluster GetCluster(ClusterKey key) =>
        _built.TryGetValue(key, out var cluster) ? cluster : _built.GetOrAdd(key, static (k, t) => t.Attached(t._clusters.Create(k)), this);

    private Cluster Attached(Cluster cluster)
    {
        if (_resilience is not null && cluster.MissingReason is null)
        {
            cluster.Attach(_resilience.Attach(Volatile.Read(ref _generation), cluster.Key, cluster.Policy, cluster.Endpoints));
        }

        return cluster;
    }
}
