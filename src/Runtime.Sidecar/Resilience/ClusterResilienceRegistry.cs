using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Discovery;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// The sidecar's resilience state per cluster, surviving route-table swaps: each new table re-attaches the clusters
/// still in config (re-applying policy and endpoints) and the registry drops the ones that left it. One per
/// sidecar (a DI singleton); also the <see cref="IOutlierStatusSource"/> reported to the control plane.
/// </summary>
internal sealed class ClusterResilienceRegistry : IOutlierStatusSource, IDisposable
{
    private readonly ConcurrentDictionary<ClusterKey, ClusterResilience> _clusters = new();
    private readonly ConnectionPoolClients _clients = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _generation;

    /// <summary>Creates an empty registry.</summary>
    public ClusterResilienceRegistry(TimeProvider time, ILogger<ClusterResilienceRegistry>? logger = null)
    {
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The live pooled clients.</summary>
    public ConnectionPoolClients Clients => _clients;

    /// <summary>The clusters with state, in no particular order.</summary>
    public IReadOnlyCollection<ClusterResilience> Clusters => (IReadOnlyCollection<ClusterResilience>)_clusters.Values;

    /// <summary>The keys of the clusters with state.</summary>
    public IEnumerable<ClusterKey> Keys => _clusters.Keys;

    /// <summary>The generation of the newest route table activated; <see cref="ClusterResilience.Apply"/> ignores older ones.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Starts a new generation (a route table about to become current) and returns it.</summary>
    public long NextGeneration() => Interlocked.Increment(ref _generation);

    /// <summary>The state for a cluster, created on first use, with this snapshot's policy and endpoints applied.</summary>
    public ClusterResilience Attach(long generation, ClusterKey key, TrafficPolicy? policy, IReadOnlyList<MeshEndpoint> endpoints)
    {
        var resilience = _clusters.GetOrAdd(key, static (k, r) => new ClusterResilience(k, r._time, r._clients, r._logger), this);
        resilience.Apply(generation, policy, endpoints);
        return resilience;
    }

    /// <summary>The state of a cluster, or null.</summary>
    public ClusterResilience? Find(ClusterKey key) => _clusters.GetValueOrDefault(key);

    /// <summary>Forgets a cluster that left the config: its timer stops and its client goes once idle.</summary>
    public void Drop(ClusterKey key)
    {
        if (_clusters.TryRemove(key, out var resilience))
        {
            resilience.Dispose();
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<EndpointOutlierStatus> Current()
    {
        var report = new Dictionary<(string Host, string Address, int Port), EndpointOutlierStatus>();
        foreach (var cluster in _clusters.Values)
        {
            foreach (var endpoint in cluster.Describe().Endpoints)
            {
                if (!endpoint.Ejected && endpoint.Multiplier == 0)
                {
                    continue;
                }

                var status = new EndpointOutlierStatus(cluster.Key.Host, endpoint.Address, endpoint.Port, endpoint.Ejected, endpoint.Multiplier, endpoint.Ejected ? endpoint.EjectedUntil : null, endpoint.Reason);
                var key = (status.Host, status.Address, status.Port);
                // The same endpoint in several clusters (subsets, ports): report the worst view of it.
                if (!report.TryGetValue(key, out var seen) || (status.Ejected && !seen.Ejected) || (status.Ejected == seen.Ejected && status.EjectionCount > seen.EjectionCount))
                {
                    report[key] = status;
                }
            }
        }

        return [.. report.Values];
    }

    /// <summary>Stops every cluster's timer and releases the clients.</summary>
    public void Dispose()
    {
        foreach (var key in _clusters.Keys)
        {
            Drop(key);
        }
    }
}
