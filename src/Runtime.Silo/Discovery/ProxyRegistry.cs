using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Runtime.Abstractions.Discovery;

namespace Runtime.Silo.Discovery;

/// <summary>
/// The sidecars registered with this replica, in memory. A replica restart forgets them on purpose: each
/// sidecar's next heartbeat answers NOT_FOUND and the sidecar registers again (with the same proxy id, which
/// is derived from its identity), so the registry rebuilds itself within one heartbeat interval.
/// Every change that alters what other proxies see is written to <see cref="Changes"/>; heartbeats and
/// stream connects only move timestamps and counters and raise no event.
/// </summary>
internal sealed partial class ProxyRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, RegisteredProxy> _proxies = new(StringComparer.Ordinal);
    private readonly Channel<RegistryChange> _changes = Channel.CreateUnbounded<RegistryChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly DiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProxyRegistry> _logger;
    private IReadOnlyList<RegisteredProxy>? _list;
    private long _generation;

    public ProxyRegistry(IOptions<DiscoveryOptions> options, TimeProvider time, ILogger<ProxyRegistry> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Registry changes in order, for the distributor (single reader).</summary>
    public ChannelReader<RegistryChange> Changes => _changes.Reader;

    public DiscoveryOptions Options => _options;

    /// <summary>Counts changes that alter snapshots; equal generations mean equal registered identities.</summary>
    public long Generation
    {
        get
        {
            lock (_lock)
            {
                return _generation;
            }
        }
    }

    /// <summary>Every registration, ordered by proxy id; an immutable snapshot.</summary>
    public IReadOnlyList<RegisteredProxy> Proxies
    {
        get
        {
            lock (_lock)
            {
                return _list ??= [.. _proxies.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];
            }
        }
    }

    public int ConnectedCount
    {
        get
        {
            lock (_lock)
            {
                return _proxies.Values.Count(p => p.Connected);
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _proxies.Count;
            }
        }
    }

    /// <summary>
    /// Registers <paramref name="identity"/> (already validated and normalized), or refreshes the registration of
    /// the same instance. Counts as a heartbeat.
    /// </summary>
    public RegisteredProxy Register(ProxyIdentity identity, string proxyVersion)
    {
        var id = ProxyIdentityRules.ProxyId(identity);
        var now = _time.GetUtcNow();
        RegisteredProxy proxy;
        RegistryChangeType? change;
        lock (_lock)
        {
            if (_proxies.TryGetValue(id, out var existing))
            {
                proxy = existing with { Identity = identity, ProxyVersion = proxyVersion, LastHeartbeat = now };
                change = existing.Identity.Equals(identity) ? null : RegistryChangeType.Updated;
            }
            else
            {
                proxy = new RegisteredProxy(id, identity, proxyVersion, now, now, Connections: 0);
                change = RegistryChangeType.Registered;
            }

            Replace(proxy, change);
        }

        if (change is { } type)
        {
            LogRegistered(id, type, identity.Address, identity.InboundPort);
        }

        return proxy;
    }

    /// <summary>Records a heartbeat; false when <paramref name="proxyId"/> is not registered (expired, or this replica restarted).</summary>
    /// <param name="proxyId">The proxy id.</param>
    /// <param name="outlier">
    /// The proxy's complete outlier report, replacing the one it sent before; null when unchanged. Outlier state
    /// does not alter snapshots, so it raises no registry event.
    /// </param>
    /// <param name="certificate">The certificate the heartbeat reported (null: none); it paces root rotations and raises no event.</param>
    public bool Heartbeat(string proxyId, IReadOnlyList<EndpointOutlierStatus>? outlier = null, ProxyCertificateReport? certificate = null)
    {
        lock (_lock)
        {
            if (!_proxies.TryGetValue(proxyId, out var proxy))
            {
                return false;
            }

            var now = _time.GetUtcNow();
            var outlierReport = outlier is null ? proxy.Outlier : new ReceivedOutlierReport(outlier, now);
            Replace(proxy with { LastHeartbeat = now, Outlier = outlierReport, Certificate = certificate }, change: null);
            return true;
        }
    }

    /// <summary>Removes the registration at once; null when it was not registered.</summary>
    public RegisteredProxy? Deregister(string proxyId)
    {
        RegisteredProxy? removed;
        lock (_lock)
        {
            removed = RemoveLocked(proxyId, RegistryChangeType.Deregistered);
        }

        if (removed is not null)
        {
            LogDeregistered(proxyId);
        }

        return removed;
    }

    public RegisteredProxy? Find(string proxyId)
    {
        lock (_lock)
        {
            return _proxies.GetValueOrDefault(proxyId);
        }
    }

    /// <summary>Counts an open Subscribe stream; false when the proxy is not registered.</summary>
    public bool Connect(string proxyId)
    {
        lock (_lock)
        {
            if (!_proxies.TryGetValue(proxyId, out var proxy))
            {
                return false;
            }

            Replace(proxy with { Connections = proxy.Connections + 1 }, change: null);
            return true;
        }
    }

    /// <summary>A Subscribe stream ended; the TTL runs from now.</summary>
    public void Disconnect(string proxyId)
    {
        lock (_lock)
        {
            if (_proxies.TryGetValue(proxyId, out var proxy))
            {
                Replace(proxy with { Connections = Math.Max(0, proxy.Connections - 1), LastHeartbeat = _time.GetUtcNow() }, change: null);
            }
        }
    }

    /// <summary>Drops every registration without an open stream whose last heartbeat is older than the TTL.</summary>
    /// <returns>The expired registrations.</returns>
    public IReadOnlyList<RegisteredProxy> ExpireStale()
    {
        var now = _time.GetUtcNow();
        List<RegisteredProxy> expired;
        lock (_lock)
        {
            expired = [.. _proxies.Values.Where(p => !p.Connected && now - p.LastHeartbeat > _options.Ttl)];
            foreach (var proxy in expired)
            {
                RemoveLocked(proxy.Id, RegistryChangeType.Expired);
            }
        }

        foreach (var proxy in expired)
        {
            LogExpired(proxy.Id, (now - proxy.LastHeartbeat).TotalSeconds);
        }

        return expired;
    }

    private RegisteredProxy? RemoveLocked(string proxyId, RegistryChangeType type)
    {
        if (!_proxies.Remove(proxyId, out var removed))
        {
            return null;
        }

        _list = null;
        _generation++;
        _changes.Writer.TryWrite(new RegistryChange(type, removed));
        return removed;
    }

    private void Replace(RegisteredProxy proxy, RegistryChangeType? change)
    {
        _proxies[proxy.Id] = proxy;
        _list = null;
        if (change is { } type)
        {
            _generation++;
            // Written under the lock so events are in the same order as the changes.
            _changes.Writer.TryWrite(new RegistryChange(type, proxy));
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Proxy {ProxyId} {Change} at {Address}:{Port}")]
    private partial void LogRegistered(string proxyId, RegistryChangeType change, string address, int port);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Proxy {ProxyId} deregistered")]
    private partial void LogDeregistered(string proxyId);

    [LoggerMessage(EventId = 302, Level = LogLevel.Information, Message = "Proxy {ProxyId} expired: no heartbeat for {Seconds:F1} s")]
    private partial void LogExpired(string proxyId, double seconds);
}
