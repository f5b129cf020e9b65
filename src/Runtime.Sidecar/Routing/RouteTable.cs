using System.Collections.Concurrent;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// The routing state for one snapshot: immutable once built, read lock-free by every request. A new snapshot
/// builds a new table; the sidecar swaps the reference. Clusters are created on first use and memoized (the
/// memo is the only shared mutable state, and it is a concurrent map whose values never change).
/// </summary>
internal sealed class RouteTable
{
    private readonly HostTable _hosts;
    private readonly ClusterFactory _clusters;
    private readonly ConcurrentDictionary<ClusterKey, Cluster> _built = new();

    private RouteTable(string version, HostTable hosts, ClusterFactory clusters)
    {
        Version = version;
        _hosts = hosts;
        _clusters = clusters;
    }

    /// <summary>The snapshot version this table was built from.</summary>
    public string Version { get; }

    /// <summary>Compiles a snapshot for one sidecar; see <see cref="RouteTableBuilder"/> for the rules applied.</summary>
    /// <param name="snapshot">The pushed snapshot.</param>
    /// <param name="self">The sidecar's identity.</param>
    /// <param name="options">Mesh settings; <see cref="RouteTableOptions.Default"/> when null.</param>
    public static RouteTableBuild Build(ProxySnapshot snapshot, SidecarIdentity self, RouteTableOptions? options = null)
    {
        var (hosts, clusters, problems) = new RouteTableBuilder(snapshot, self, options ?? RouteTableOptions.Default).Build();
        return new RouteTableBuild(new RouteTable(snapshot.Version, hosts, clusters), problems);
    }

    /// <summary>Routes one request: the host's virtual host, then its first matching rule.</summary>
    public RouteDecision Route(in RequestView request)
    {
        var host = _hosts.Find(request.Host);
        return host is null
            ? new NoRoute($"no service, ServiceEntry or VirtualService host matches '{request.Host}' (authority '{request.Authority}')")
            : host.Route(request);
    }

    /// <summary>The cluster for a key; unknown hosts or subsets give an empty cluster whose <see cref="Cluster.MissingReason"/> says why.</summary>
    public Cluster GetCluster(ClusterKey key) =>
        _built.TryGetValue(key, out var cluster) ? cluster : _built.GetOrAdd(key, static (k, f) => f.Create(k), _clusters);
}
