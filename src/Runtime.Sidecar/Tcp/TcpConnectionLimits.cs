using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// DestinationRule <c>connectionPool.tcp.maxConnections</c> for tunnels: open tunnels per cluster (host, subset,
/// port), admitted or refused at once (Envoy's overflow, <c>UO</c>), never queued. Counts outlive config pushes.
/// </summary>
internal sealed class TcpConnectionLimits
{
    private readonly ConcurrentDictionary<ClusterKey, StrongBox<int>> _open = new();

    /// <summary>Takes a slot of <paramref name="cluster"/>; false when its limit is reached.</summary>
    public bool TryEnter(Cluster cluster, out int limit)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        limit = cluster.Policy?.ConnectionPool?.Tcp?.MaxConnections is > 0 and var max ? max : int.MaxValue;
        var open = _open.GetOrAdd(cluster.Key, static _ => new StrongBox<int>());
        if (Interlocked.Increment(ref open.Value) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref open.Value);
        return false;
    }

    /// <summary>Gives back the slot taken by <see cref="TryEnter"/>.</summary>
    public void Exit(Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (_open.TryGetValue(cluster.Key, out var open))
        {
            Interlocked.Decrement(ref open.Value);
        }
    }
}
