using Microsoft.Extensions.Options;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Silo.Store;

namespace Runtime.Silo.Discovery;

/// <summary>
/// Distribution: follows the store's change feed and the registry's events, debounces them, recomputes
/// snapshots and pushes each new version to the proxy's open streams. It also keeps, per proxy, what was
/// ACKed or NACKed, which is what proxy status and the APPLIED counts are read from.
/// </summary>
/// <remarks>
/// Every computation (the debounced recompute and the on-demand one of a first Subscribe) runs under one
/// lock and reads its inputs inside it, so a later computation never sees older inputs than an earlier one
/// and a stale snapshot can never overwrite a newer one. Pushing is a non-blocking mailbox write.
/// </remarks>
internal sealed partial class SnapshotDistributor : BackgroundService
{
    private readonly IConfigStore _store;
    private readonly ProxyRegistry _registry;
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly DiscoveryMetrics _metrics;
    private readonly ILogger<SnapshotDistributor> _logger;
    private readonly ConvergenceTracker _convergence;
    private readonly ITrustBundleSource? _trust;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ProxyDistribution> _proxies = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MeshConfigView _config = MeshConfigView.Empty;
    private bool _closed;

    public SnapshotDistributor(
        IConfigStore store, ProxyRegistry registry, IOptions<DiscoveryOptions> options, TimeProvider time, DiscoveryMetrics metrics, ILogger<SnapshotDistributor> logger,
        ITrustBundleSource? trust = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _registry = registry;
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _convergence = new ConvergenceTracker(time);
        // A CA state change (root rotation step) is pushed like a config change: the trust bundle is part of the version.
        _trust = trust;
        if (trust is not null)
        {
            trust.Changed += Changed;
        }
    }

    /// <summary>The distributed config as last read from the change feed.</summary>
    public MeshConfigView Config => Volatile.Read(ref _config);

    /// <summary>
    /// Opens a stream's mailbox for a registered proxy, holding its current snapshot (computed now if it has
    /// none yet). Null when the proxy is not registered.
    /// </summary>
    public async Task<SnapshotSubscription?> SubscribeAsync(string proxyId, CancellationToken cancellationToken)
    {
        await _loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            // Checked under the lock: a removal after this point is processed after us and ends the stream.
            if (_registry.Find(proxyId) is not { } proxy)
            {
                return null;
            }

            var subscription = new SnapshotSubscription(proxyId);
            if (_closed)
            {
                subscription.Complete();
                return subscription;
            }

            var state = CurrentLocked(proxy);
            state.Subscriptions.Add(subscription);
            subscription.Offer(state.Latest!);
            return subscription;
        }
    }

    public void Unsubscribe(SnapshotSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        lock (_lock)
        {
            if (_proxies.TryGetValue(subscription.ProxyId, out var state) && state.Subscriptions.Remove(subscription) && state.Subscriptions.Count == 0)
            {
                _convergence.Removed(subscription.ProxyId);
            }
        }
    }

    /// <summary>The latest snapshot of a registered proxy, computed now when none was yet.</summary>
    public async Task<ProxySnapshot?> SnapshotAsync(string proxyId, CancellationToken cancellationToken)
    {
        await _loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            return _registry.Find(proxyId) is { } proxy ? CurrentLocked(proxy).Latest : null;
        }
    }

    /// <summary>Records an ACK (empty <paramref name="error"/>) or NACK; false when the proxy is not registered.</summary>
    public bool Acknowledge(string proxyId, string version, string error)
    {
        IReadOnlyList<TimeSpan> converged = [];
        lock (_lock)
        {
            if (_registry.Find(proxyId) is null)
            {
                return false;
            }

            var state = GetOrCreateLocked(proxyId);
            if (error.Length == 0)
            {
                state.Ack(version);
                converged = _convergence.Acked(proxyId, version, state.Latest?.Version);
            }
            else
            {
                state.Nack(version, error);
                _convergence.Nacked(proxyId);
            }
        }

        if (error.Length > 0)
        {
            _metrics.Nacked();
            LogNacked(proxyId, version, error);
        }

        foreach (var duration in converged)
        {
            _metrics.Converged(duration);
        }

        return true;
    }

    /// <summary>Every registered proxy with its sync state, ordered by proxy id.</summary>
    public IReadOnlyList<ProxyStatusView> Statuses()
    {
        lock (_lock)
        {
            return [.. _registry.Proxies.Select(proxy =>
            {
                var state = _proxies.GetValueOrDefault(proxy.Id);
                return state is null
                    ? new ProxyStatusView(proxy, proxy.Connected ? SyncState.Stale : SyncState.Disconnected, "", "", "")
                    : new ProxyStatusView(proxy, state.StateFor(proxy), state.AckedVersion, state.Latest?.Version ?? "", state.NackError);
            })];
        }
    }

    /// <summary>For each key: its current resourceVersion, how many proxies ACKed it at that version, and how many should.</summary>
    public IReadOnlyList<ResourceApplied> Applied(IReadOnlyList<ResourceKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var config = Config;
        lock (_lock)
        {
            var proxies = _registry.Proxies;
            return [.. keys.Select(key =>
            {
                if (!config.Resources.TryGetValue(key, out var resource))
                {
                    return new ResourceApplied(key, 0, 0, 0);
                }

                var version = resource.Resource.Metadata.ResourceVersion;
                var expected = proxies.Count(p => resource.IsVisibleTo(p.Identity.Namespace));
                var applied = proxies.Count(p =>
                    _proxies.TryGetValue(p.Id, out var state) && state.AckedResources.TryGetValue(key, out var acked) && acked == version);
                return new ResourceApplied(key, version, applied, expected);
            })];
        }
    }

    /// <summary>Ends every stream and refuses new ones (shutdown: sidecars reconnect to another replica).</summary>
    public void CompleteSubscriptions()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var subscription in _proxies.Values.SelectMany(p => p.Subscriptions))
            {
                subscription.Complete();
            }
        }
    }

    /// <summary>The proxy's state with a snapshot: the latest, or one computed now from the current inputs.</summary>
    private ProxyDistribution CurrentLocked(RegisteredProxy proxy)
    {
        var state = GetOrCreateLocked(proxy.Id);
        if (state.Latest is null)
        {
            state.SetLatest(new SnapshotBuilder(Config, _registry.Proxies, _trust?.Current).Build(proxy, _time.GetUtcNow()));
        }

        return state;
    }

    private ProxyDistribution GetOrCreateLocked(string proxyId)
    {
        if (!_proxies.TryGetValue(proxyId, out var state))
        {
            state = new ProxyDistribution();
            _proxies[proxyId] = state;
        }

        return state;
    }

    /// <summary>Drops a proxy that left the registry and ends its streams.</summary>
    private void Forget(string proxyId)
    {
        lock (_lock)
        {
            if (_proxies.Remove(proxyId, out var state))
            {
                foreach (var subscription in state.Subscriptions)
                {
                    subscription.Complete();
                }
            }

            _convergence.Removed(proxyId);
        }
    }
}
