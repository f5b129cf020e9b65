using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Silo.Discovery;
using Runtime.Silo.Tests.Testing;

namespace Runtime.Silo.Tests.Discovery;

public sealed class ProxyRegistryTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly ProxyRegistry _registry;

    public ProxyRegistryTests() =>
        _registry = new ProxyRegistry(Microsoft.Extensions.Options.Options.Create(new DiscoveryOptions()), _time, NullLogger<ProxyRegistry>.Instance);

    [Fact]
    public void Register_NoInstance_IdIsServiceAddressPortDotNamespace()
    {
        var proxy = _registry.Register(Identity("reviews", "10.0.0.7", 15006), "1.0");

        Assert.Equal("reviews-10-0-0-7-15006.bookinfo", proxy.Id);
        Assert.Equal("reviews-10-0-0-7-15006", proxy.Identity.Instance);
        Assert.Equal("default", proxy.Identity.ServiceAccount);
        Assert.Equal(RegistryChangeType.Registered, NextChange().Type);
    }

    [Fact]
    public void Register_SameInstanceAgain_SameIdAndEventOnlyWhenIdentityChanged()
    {
        var first = _registry.Register(Identity("reviews", "10.0.0.7", 15006, instance: "reviews-v1-1"), "1.0");
        _time.Advance(TimeSpan.FromSeconds(3));
        var same = _registry.Register(Identity("reviews", "10.0.0.7", 15006, instance: "reviews-v1-1"), "1.0");
        var moved = _registry.Register(Identity("reviews", "10.0.0.8", 15006, instance: "reviews-v1-1"), "1.1");

        Assert.Equal("reviews-v1-1.bookinfo", first.Id);
        Assert.Equal(first.Id, same.Id);
        Assert.Equal(first.Id, moved.Id);
        Assert.Equal(first.RegisteredAt, moved.RegisteredAt);
        Assert.Equal(_time.GetUtcNow(), same.LastHeartbeat);
        Assert.Single(_registry.Proxies);
        Assert.Equal("10.0.0.8", _registry.Proxies[0].Identity.Address);
        Assert.Equal([RegistryChangeType.Registered, RegistryChangeType.Updated], DrainChanges().Select(c => c.Type));
    }

    [Fact]
    public void Register_LabelsWithEqualContent_NoUpdateEvent()
    {
        _registry.Register(Identity("reviews", "10.0.0.7", 15006, labels: new() { ["version"] = "v1" }), "1.0");
        _registry.Register(Identity("reviews", "10.0.0.7", 15006, labels: new() { ["version"] = "v1" }), "1.0");
        _registry.Register(Identity("reviews", "10.0.0.7", 15006, labels: new() { ["version"] = "v2" }), "1.0");

        Assert.Equal([RegistryChangeType.Registered, RegistryChangeType.Updated], DrainChanges().Select(c => c.Type));
    }

    [Fact]
    public void Heartbeat_UnknownProxy_ReturnsFalse()
    {
        Assert.False(_registry.Heartbeat("nobody.default"));
    }

    [Fact]
    public void ExpireStale_HeartbeatsWithinTtl_KeepsProxy_SilenceBeyondTtl_RemovesIt()
    {
        var proxy = _registry.Register(Identity("reviews", "10.0.0.7", 15006), "1.0");
        DrainChanges();

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(_registry.Heartbeat(proxy.Id));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(_registry.ExpireStale());
        Assert.NotNull(_registry.Find(proxy.Id));

        _time.Advance(TimeSpan.FromSeconds(5.1));
        var expired = Assert.Single(_registry.ExpireStale());

        Assert.Equal(proxy.Id, expired.Id);
        Assert.Null(_registry.Find(proxy.Id));
        Assert.False(_registry.Heartbeat(proxy.Id));
        var change = NextChange();
        Assert.Equal((RegistryChangeType.Expired, proxy.Id), (change.Type, change.Proxy.Id));
    }

    [Fact]
    public void ExpireStale_OpenStream_CountsAsAliveAndTtlRestartsWhenItCloses()
    {
        var proxy = _registry.Register(Identity("reviews", "10.0.0.7", 15006), "1.0");
        Assert.True(_registry.Connect(proxy.Id));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(_registry.ExpireStale());

        _registry.Disconnect(proxy.Id);
        _time.Advance(TimeSpan.FromSeconds(14));
        Assert.Empty(_registry.ExpireStale());
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Single(_registry.ExpireStale());
    }

    [Fact]
    public void Deregister_RemovesAtOnceWithEvent()
    {
        var proxy = _registry.Register(Identity("reviews", "10.0.0.7", 15006), "1.0");
        DrainChanges();

        Assert.NotNull(_registry.Deregister(proxy.Id));

        Assert.Empty(_registry.Proxies);
        Assert.Null(_registry.Deregister(proxy.Id));
        Assert.Equal(RegistryChangeType.Deregistered, NextChange().Type);
        Assert.False(_registry.Connect(proxy.Id));
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEveryOne()
    {
        var identity = new ProxyIdentity
        {
            Service = "",
            Namespace = "Bad_NS",
            Address = "not an address",
            InboundPort = 70000,
            AppPort = -1,
        };

        var problems = ProxyIdentityRules.Validate(identity);

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("identity.service is required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("identity.namespace \"Bad_NS\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("identity.address \"not an address\"", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("identity.inbound_port 70000", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("identity.app_port -1", StringComparison.Ordinal));
    }

    internal static ProxyIdentity Identity(
        string service, string address, int port, string ns = "bookinfo", string instance = "", Dictionary<string, string>? labels = null) =>
        ProxyIdentityRules.Normalize(new ProxyIdentity
        {
            Service = service,
            Namespace = ns,
            Address = address,
            InboundPort = port,
            Instance = instance,
            Labels = labels ?? [],
        });

    private RegistryChange NextChange()
    {
        Assert.True(_registry.Changes.TryRead(out var change), "expected a registry change event");
        return change;
    }

    private List<RegistryChange> DrainChanges()
    {
        var changes = new List<RegistryChange>();
        while (_registry.Changes.TryRead(out var change))
        {
            changes.Add(change);
        }

        return changes;
    }
}
