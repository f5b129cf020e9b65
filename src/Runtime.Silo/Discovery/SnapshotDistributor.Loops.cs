using System.Collections.Immutable;
using System.Threading.Channels;
using Runtime.Abstractions.Resources;
using Runtime.Silo.Store;

namespace Runtime.Silo.Discovery;

/// <summary>The distributor's background loops: change feed, registry events, debounced recompute.</summary>
internal sealed partial class SnapshotDistributor
{
    /// <summary>Set when anything changed since the last recompute; one slot, so a burst is one signal.</summary>
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(FollowStoreAsync(stoppingToken), FollowRegistryAsync(stoppingToken), PushAsync(stoppingToken));

    private void Changed()
    {
        _convergence.ChangeObserved();
        _dirty.Writer.TryWrite(true);
    }

    /// <summary>Keeps <see cref="Config"/> current: the initial state up to the bookmark, then every change.</summary>
    private async Task FollowStoreAsync(CancellationToken cancellationToken)
    {
        long since = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var initial = since == 0 ? ImmutableDictionary.CreateBuilder<ResourceKey, DistributedResource>() : null;
                await foreach (var change in _store.WatchAsync(null, null, since, cancellationToken).ConfigureAwait(false))
                {
                    if (initial is not null)
                    {
                        if (change.Type == ConfigChangeType.Bookmark)
                        {
                            // A (re)started watch replaces the whole view, so nothing missed while it was down lingers.
                            Volatile.Write(ref _config, new MeshConfigView(initial.ToImmutable(), change.Revision));
                            initial = null;
                            since = change.Revision;
                            _loaded.TrySetResult();
                            LogLoaded(Config.Resources.Count, change.Revision);
                            Changed();
                        }
                        else if (change.Resource is { } resource && DistributedResource.From(resource) is { } distributed)
                        {
                            initial[resource.Key] = distributed;
                        }

                        continue;
                    }

                    Volatile.Write(ref _config, change switch
                    {
                        { Type: ConfigChangeType.Deleted, Resource: { } deleted } => Config.Without(deleted.Key, change.Revision),
                        { Resource: { } resource } => Config.With(resource, change.Revision),
                        _ => Config with { Revision = change.Revision },
                    });
                    since = change.Revision;
                    Changed();
                }

                // The store completed the watch: shutting down.
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WatchOverflowException or RevisionCompactedException)
            {
                LogResync(ex.Message);
                since = 0;
            }
            catch (Exception ex)
            {
                LogWatchFailed(ex);
                await DelayAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FollowRegistryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var change in _registry.Changes.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (change.IsRemoval)
                {
                    Forget(change.Proxy.Id);
                }

                Changed();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            var signals = _dirty.Reader;
            while (await signals.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                signals.TryRead(out _);
                await DebounceAsync(signals, cancellationToken).ConfigureAwait(false);
                try
                {
                    Recompute();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRecomputeFailed(ex);
                    // The signal that led here is spent: try again shortly, or some proxies would wait for an unrelated change.
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
                    _dirty.Writer.TryWrite(true);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>Waits until changes have been quiet for the debounce period, or the maximum delay has passed.</summary>
    private async Task DebounceAsync(ChannelReader<bool> signals, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var remaining = _options.PushMaxDelay - _time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            using var quiet = new CancellationTokenSource(remaining < _options.PushDebounce ? remaining : _options.PushDebounce, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, quiet.Token);
            try
            {
                await signals.WaitToReadAsync(linked.Token).ConfigureAwait(false);
                signals.TryRead(out _);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Recomputes every registered proxy's snapshot and pushes the ones whose version changed. Content is
    /// computed once per namespace, so the cost grows with namespaces, not proxies.
    /// </summary>
    private void Recompute()
    {
        var now = _time.GetUtcNow();
        var pushed = new List<(string ProxyId, string Version)>();
        int changed = 0, proxies;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            var registered = _registry.Proxies;
            proxies = registered.Count;
            var builder = new SnapshotBuilder(Config, registered, _trust?.Current);
            foreach (var proxy in registered)
            {
                var state = GetOrCreateLocked(proxy.Id);
                if (state.Latest?.Version == builder.ContentFor(proxy.Identity.Namespace).Version)
                {
                    continue;
                }

                var snapshot = builder.Build(proxy, now);
                state.SetLatest(snapshot);
                changed++;
                foreach (var subscription in state.Subscriptions)
                {
                    subscription.Offer(snapshot);
                }

                if (state.Subscriptions.Count > 0)
                {
                    pushed.Add((proxy.Id, snapshot.Version));
                }
            }

            _convergence.Pushed(pushed);
        }

        LogRecomputed(proxies, changed, pushed.Count, Config.Revision);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The loop checks the token.
        }
    }
}
