using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Silo.Discovery;
using Runtime.Silo.Tests.Testing;
using static Runtime.Silo.Tests.Discovery.ProxyRegistryTests;

namespace Runtime.Silo.Tests.Discovery;

public sealed class OutlierHealthViewTests
{
    private const string Reviews = "reviews.bookinfo.svc.cluster.local";
    private const string Ratings = "ratings.bookinfo.svc.cluster.local";

    private readonly ManualTimeProvider _time = new();
    private readonly ProxyRegistry _registry;

    public OutlierHealthViewTests() =>
        _registry = new ProxyRegistry(Microsoft.Extensions.Options.Options.Create(new DiscoveryOptions()), _time, NullLogger<ProxyRegistry>.Instance);

    [Fact]
    public void Of_ReportsFromSeveralProxies_AggregatedPerEndpoint()
    {
        var until = _time.GetUtcNow().AddSeconds(60);
        var a = Register("productpage", "10.0.0.1");
        var b = Register("details", "10.0.0.2");
        var c = Register("ratings", "10.0.0.3");
        Register("silent", "10.0.0.4");
        _registry.Heartbeat(a, [Ejected(Reviews, "10.0.1.1", 2, until, "5 consecutive 5xx")]);
        _registry.Heartbeat(b, [Ejected(Reviews, "10.0.1.1", 1, until.AddSeconds(-30), "3 consecutive gateway errors"), Ejected(Ratings, "10.0.2.1", 1, until, "5 consecutive 5xx")]);
        _registry.Heartbeat(c, []);

        var health = OutlierHealthView.Of(_registry.Proxies);

        Assert.Equal(3, health.ReportingProxies);
        Assert.Equal([(Ratings, "10.0.2.1"), (Reviews, "10.0.1.1")], health.Endpoints.Select(e => (e.Host, e.Address)));
        var reviews = health.Find(Reviews, "10.0.1.1", 15006)!;
        Assert.Equal(2, reviews.EjectedBy);
        Assert.Equal(2, reviews.MaxEjectionCount);
        Assert.Equal("5 consecutive 5xx", reviews.LastReason);
        Assert.Equal([b, a], reviews.Reports.Select(r => r.ProxyId)); // ordered by proxy id: details before productpage
        Assert.Equal(until, reviews.ReportOf(a)!.EjectedUntil);
        Assert.All(reviews.Reports, r => Assert.Equal(_time.GetUtcNow(), r.Reported));
        Assert.Null(reviews.ReportOf(c));
    }

    [Fact]
    public void Of_EndpointNoLongerEjected_StillListedButNotCountedAsEjected()
    {
        var a = Register("productpage", "10.0.0.1");
        var b = Register("details", "10.0.0.2");
        _registry.Heartbeat(a, [Ejected(Reviews, "10.0.1.1", 3, _time.GetUtcNow().AddSeconds(90), "5 consecutive 5xx")]);
        _registry.Heartbeat(b, [new EndpointOutlierStatus(Reviews, "10.0.1.1", 15006, false, 4, null, "7 consecutive local-origin failures")]);

        var reviews = Assert.Single(OutlierHealthView.Of(_registry.Proxies).Endpoints);

        Assert.Equal(1, reviews.EjectedBy);
        Assert.Equal(4, reviews.MaxEjectionCount);
        // The ejection in force wins over an older one that has ended.
        Assert.Equal("5 consecutive 5xx", reviews.LastReason);
    }

    [Fact]
    public void Heartbeat_WithoutReport_KeepsTheLastOne_EmptyReportClearsIt()
    {
        var a = Register("productpage", "10.0.0.1");
        _registry.Heartbeat(a, [Ejected(Reviews, "10.0.1.1", 1, _time.GetUtcNow().AddSeconds(30), "5 consecutive 5xx")]);

        _time.Advance(TimeSpan.FromSeconds(5));
        _registry.Heartbeat(a);
        var kept = OutlierHealthView.Of(_registry.Proxies);
        _registry.Heartbeat(a, []);
        var cleared = OutlierHealthView.Of(_registry.Proxies);

        Assert.Equal(1, Assert.Single(kept.Endpoints).EjectedBy);
        Assert.Equal(1, cleared.ReportingProxies);
        Assert.Empty(cleared.Endpoints);
    }

    [Fact]
    public void Heartbeat_ReportRaisesNoRegistryEvent()
    {
        var a = Register("productpage", "10.0.0.1");
        Assert.True(_registry.Changes.TryRead(out _));
        var generation = _registry.Generation;

        Assert.True(_registry.Heartbeat(a, [Ejected(Reviews, "10.0.1.1", 1, null, null)]));

        Assert.False(_registry.Changes.TryRead(out _));
        Assert.Equal(generation, _registry.Generation);
    }

    [Fact]
    public void Deregister_OrExpiry_DropsTheProxysReport()
    {
        var gone = Register("productpage", "10.0.0.1");
        var silent = Register("details", "10.0.0.2");
        var staying = Register("ratings", "10.0.0.3");
        Assert.True(_registry.Connect(staying));
        foreach (var proxy in new[] { gone, silent, staying })
        {
            _registry.Heartbeat(proxy, [Ejected(Reviews, "10.0.1.1", 1, null, "5 consecutive 5xx")]);
        }

        _registry.Deregister(gone);
        var afterDeregister = OutlierHealthView.Of(_registry.Proxies);
        _time.Advance(_registry.Options.Ttl + TimeSpan.FromSeconds(1));
        _registry.ExpireStale();
        var afterExpiry = OutlierHealthView.Of(_registry.Proxies);

        Assert.Equal((2, 2), (afterDeregister.ReportingProxies, afterDeregister.Endpoints[0].EjectedBy));
        Assert.Equal(1, afterExpiry.ReportingProxies);
        Assert.Equal([staying], Assert.Single(afterExpiry.Endpoints).Reports.Select(r => r.ProxyId));
    }

    [Fact]
    public void Of_HostGiven_OnlyThatHostsEndpoints()
    {
        var a = Register("productpage", "10.0.0.1");
        _registry.Heartbeat(a, [Ejected(Reviews, "10.0.1.1", 1, null, null), Ejected(Ratings, "10.0.2.1", 1, null, null)]);

        var health = OutlierHealthView.Of(_registry.Proxies, Ratings);

        Assert.Equal(1, health.ReportingProxies);
        Assert.Equal(Ratings, Assert.Single(health.Endpoints).Host);
    }

    [Fact]
    public void Validate_BadReport_NamesEveryProblemByPosition()
    {
        IReadOnlyList<EndpointOutlierStatus> report =
        [
            new("", "10.0.1.1", 15006, true, 1, null, null),
            new(Reviews, "", 0, true, -1, null, null),
            Ejected(Reviews, "10.0.1.2", 1, null, null),
            Ejected(Reviews, "10.0.1.2", 2, null, null),
        ];

        var problems = OutlierReportRules.Validate(report);

        Assert.Equal(
        [
            "outlier.endpoints[0]: host is required (the service host of the endpoint's cluster)",
            "outlier.endpoints[1]: address is required",
            "outlier.endpoints[1]: port 0 is out of range 1-65535",
            "outlier.endpoints[1]: ejection_count -1 is negative",
            $"outlier.endpoints[3]: {Reviews} 10.0.1.2:15006 is already reported at outlier.endpoints[2]",
        ], problems);
        Assert.Empty(OutlierReportRules.Validate([Ejected(Reviews, "10.0.1.1", 1, null, null), Ejected(Ratings, "10.0.1.1", 1, null, null)]));
    }

    private static EndpointOutlierStatus Ejected(string host, string address, int count, DateTimeOffset? until, string? reason) =>
        new(host, address, 15006, true, count, until, reason);

    private string Register(string service, string address) => _registry.Register(Identity(service, address, 15006), "1.0").Id;
}
