using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// A cluster's long-lived resilience state: circuit-breaker counters, the pooled client and per-endpoint outlier
/// detection. Unlike <see cref="Cluster"/> (rebuilt with every snapshot) it lives in the
/// <see cref="ClusterResilienceRegistry"/> for as long as the cluster exists in config; a push re-applies the
/// policy and endpoint list, keeping the state of endpoints that remain.
/// </summary>
internal sealed partial class ClusterResilience : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ConnectionPoolClients _clients;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Dictionary<(string Address, int Port), ClusterResilienceEndpoint> _endpoints = [];
    private CircuitBreakerLimits _limits = CircuitBreakerLimits.Unlimited;
    private ConnectionPoolClient? _client;
    private OutlierSettings? _outlier;
    private ITimer? _sweep;
    private long _generation = -1;
    private int _ejectionVersion;
    private bool _disposed;

    /// <summary>Creates the state for one cluster; <see cref="Apply"/> gives it a policy and endpoints.</summary>
    public ClusterResilience(ClusterKey key, TimeProvider time, ConnectionPoolClients clients, ILogger logger)
    {
        Key = key;
        Name = key.Subset is null ? $"{key.Host}:{key.Port}" : $"{key.Host}:{key.Port} subset {key.Subset}";
        _time = time;
        _clients = clients;
        _logger = logger;
    }

    /// <summary>Which cluster this is.</summary>
    public ClusterKey Key { get; }

    /// <summary>The cluster as error sentences name it: <c>reviews.default.svc.cluster.local:9080 subset v2</c>.</summary>
    public string Name { get; }

    /// <summary>The current circuit-breaker limits.</summary>
    public CircuitBreakerLimits Limits => Volatile.Read(ref _limits);

    /// <summary>The current outlier-detection settings, or null when detection is off.</summary>
    public OutlierSettings? Outlier => Volatile.Read(ref _outlier);

    /// <summary>Whether HTTP/1.1 callers' requests go upstream as HTTP/2 (<c>h2UpgradePolicy: UPGRADE</c>).</summary>
    public bool UpgradeToHttp2 { get; private set; }

    /// <summary>Changes whenever an endpoint is ejected or readmitted, or the endpoint set changes.</summary>
    public int EjectionVersion => Volatile.Read(ref _ejectionVersion);

    /// <summary>
    /// Applies a snapshot's view of the cluster. Endpoints that remain keep their counters and ejections; those
    /// gone are forgotten. A changed pool setting swaps the client (requests in flight finish on the old one).
    /// Calls from a table older than one already applied are ignored, so a late first use of a cluster by a
    /// retiring route table cannot roll the policy back.
    /// </summary>
    /// <param name="generation">The applying route table's generation (see <see cref="ClusterResilienceRegistry"/>).</param>
    /// <param name="policy">The effective traffic policy, or null.</param>
    /// <param name="endpoints">The cluster's endpoints in this snapshot.</param>
    public void Apply(long generation, TrafficPolicy? policy, IReadOnlyList<MeshEndpoint> endpoints)
    {
        ConnectionPoolClient? retired = null;
        lock (_lock)
        {
            if (_disposed || generation < _generation)
            {
                return;
            }

            _generation = generation;
            var limits = CircuitBreakerLimits.From(policy?.ConnectionPool);
            var clientSettings = ConnectionPoolClientSettings.From(policy?.ConnectionPool);
            if (clientSettings != _client?.Settings)
            {
                retired = _client;
                Volatile.Write(ref _client, clientSettings is null ? null : _clients.Rent(clientSettings));
            }

            UpgradeToHttp2 = policy?.ConnectionPool?.Http?.H2UpgradePolicy == H2UpgradePolicy.Upgrade;
            ApplyEndpoints(endpoints, limits);
            ApplyOutlier(OutlierSettings.From(policy?.OutlierDetection));
        }

        retired?.Release();
    }

    /// <summary>The state of an endpoint, or null when it is not (or no longer) part of the cluster.</summary>
    public ClusterResilienceEndpoint? Find(MeshEndpoint endpoint) =>
        Volatile.Read(ref _endpoints).GetValueOrDefault((endpoint.Address, endpoint.Port));

    /// <summary>The counters and endpoint states now, for the admin port and the control plane.</summary>
    public ClusterResilienceSnapshot Describe()
    {
        var endpoints = new List<ClusterResilienceEndpointSnapshot>();
        foreach (var state in Volatile.Read(ref _endpoints).Values)
        {
            lock (state.Gate)
            {
                endpoints.Add(new ClusterResilienceEndpointSnapshot(
                    state.Address, state.Port, Volatile.Read(ref state.InFlight), Volatile.Read(ref state.Http1InFlight), state.Ejected, state.Multiplier,
                    state.TotalEjections, state.EjectedAt, state.EjectedUntil, state.Reason, state.Consecutive5xx, state.ConsecutiveGateway, state.ConsecutiveLocalOrigin));
            }
        }

        return new ClusterResilienceSnapshot(
            Key.ToString(), Limits, Outlier, Volatile.Read(ref _client) is not null, ActiveRequests, PendingRequests, ActiveRetries,
            RequestOverflows, PendingOverflows, RetryOverflows, endpoints);
    }

    /// <summary>Stops the sweep timer and releases the pooled client (after its requests in flight).</summary>
    public void Dispose()
    {
        ConnectionPoolClient? client;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _sweep?.Dispose();
            _sweep = null;
            client = _client;
            _client = null;
        }

        client?.Release();
    }

    private void ApplyEndpoints(IReadOnlyList<MeshEndpoint> endpoints, CircuitBreakerLimits limits)
    {
        var current = _endpoints;
        var next = new Dictionary<(string Address, int Port), ClusterResilienceEndpoint>(endpoints.Count);
        foreach (var endpoint in endpoints)
        {
            var key = (endpoint.Address, endpoint.Port);
            next.TryAdd(key, current.TryGetValue(key, out var kept) ? kept : new ClusterResilienceEndpoint(endpoint.Address, endpoint.Port));
        }

        var changed = next.Count != current.Count || next.Keys.Any(k => !current.ContainsKey(k));
        Volatile.Write(ref _endpoints, next);
        if (changed || limits != _limits)
        {
            Volatile.Write(ref _limits, limits);
            // The pending count is derived from per-endpoint in-flight counts and maxConnections; recount it
            // against the new limit and endpoint set so later releases keep it exact.
            Volatile.Write(ref _pending, next.Values.Sum(e => Math.Max(0, Volatile.Read(ref e.Http1InFlight) - limits.MaxConnections)));
        }

        if (changed)
        {
            Interlocked.Increment(ref _ejectionVersion);
        }
    }
}
