using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Runtime.Grpc;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Discovery;

/// <summary>Outlier reports over real gRPC heartbeats, read back through ListEndpointHealth and /metrics.</summary>
public sealed partial class EndpointHealthApiTests
{
    private const string Reviews = "reviews.bookinfo.svc.cluster.local";

    [Fact]
    public async Task ListEndpointHealth_HeartbeatReports_AggregatedUntilTheProxyDeregisters()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var product = await f.RegisterAsync("productpage", "bookinfo", "10.0.0.1");
        var details = await f.RegisterAsync("details", "bookinfo", "10.0.0.2");
        await f.RegisterAsync("ratings", "bookinfo", "10.0.0.3");
        var until = f.Time.GetUtcNow().AddSeconds(30);

        await product.HeartbeatAsync(Report(Status("10.0.1.1", ejected: true, count: 2, until, "5 consecutive 5xx"))).Within("heartbeat");
        await details.HeartbeatAsync(Report()).Within("heartbeat");
        await product.HeartbeatAsync().Within("heartbeat without a report");
        var both = await ListAsync(f);
        await product.DeregisterAsync().Within("deregister");
        var afterDeregister = await ListAsync(f);

        Assert.Equal(2, both.ReportingProxies);
        var endpoint = Assert.Single(both.Endpoints);
        Assert.Equal((Reviews, "10.0.1.1", 15006, 1, 2, "5 consecutive 5xx"), (endpoint.Host, endpoint.Address, endpoint.Port, endpoint.EjectedBy, endpoint.MaxEjectionCount, endpoint.LastReason));
        var report = Assert.Single(endpoint.Reports);
        Assert.Equal(product.ProxyId, report.ProxyId);
        Assert.Equal(until, report.Status.EjectedUntil.ToDateTimeOffset());
        Assert.Equal(f.Time.GetUtcNow(), report.Reported.ToDateTimeOffset());
        Assert.Equal(1, afterDeregister.ReportingProxies);
        Assert.Empty(afterDeregister.Endpoints);
    }

    [Fact]
    public async Task Heartbeat_InvalidReport_InvalidArgumentButHeartbeatCountsAndPreviousReportStays()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var product = await f.RegisterAsync("productpage", "bookinfo", "10.0.0.1");
        await product.HeartbeatAsync(Report(Status("10.0.1.1", ejected: true, count: 1, null, "5 consecutive 5xx"))).Within("heartbeat");
        f.Time.Advance(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<GrpcException>(() => product.HeartbeatAsync(Report(Status("", ejected: true, count: 1, null, null), Status("10.0.1.2", ejected: true, count: 1, null, null))));
        var proxies = await f.ListProxiesAsync().Within("list proxies");
        var health = await ListAsync(f);

        Assert.Equal(GrpcStatusCode.InvalidArgument, error.Status);
        Assert.Contains("outlier.endpoints[0]: address is required", error.Message, StringComparison.Ordinal);
        Assert.Equal(f.Time.GetUtcNow(), Assert.Single(proxies.Proxies).LastHeartbeat.ToDateTimeOffset());
        Assert.Equal("10.0.1.1", Assert.Single(health.Endpoints).Address);
    }

    [Fact]
    public async Task ListEndpointHealth_HostFilter_OnlyThatHost()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var product = await f.RegisterAsync("productpage", "bookinfo", "10.0.0.1");
        var other = Status("10.0.2.1", ejected: true, count: 1, null, null);
        other.Host = "ratings.bookinfo.svc.cluster.local";
        await product.HeartbeatAsync(Report(Status("10.0.1.1", ejected: true, count: 1, null, null), other)).Within("heartbeat");

        var health = await f.Client.CallAsync("DiscoveryService/ListEndpointHealth", new V1.ListEndpointHealthRequest { Host = Reviews }, V1.ListEndpointHealthResponse.Parser).Within("list endpoint health");

        Assert.Equal("10.0.1.1", Assert.Single(health.Endpoints).Address);
    }

    [Fact]
    public async Task Metrics_Reports_EjectedGaugePerEndpointAndReportingCount()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        var product = await f.RegisterAsync("productpage", "bookinfo", "10.0.0.1");
        var details = await f.RegisterAsync("details", "bookinfo", "10.0.0.2");
        await product.HeartbeatAsync(Report(Status("10.0.1.1", ejected: true, count: 1, null, null), Status("10.0.1.2", ejected: false, count: 1, null, null))).Within("heartbeat");
        await details.HeartbeatAsync(Report(Status("10.0.1.1", ejected: true, count: 3, null, null))).Within("heartbeat");
        using var http = new HttpClient { BaseAddress = f.Silo.HttpAddress };

        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).Within("/metrics");

        var samples = SampleLine().Matches(text).ToDictionary(m => m.Groups["series"].Value, m => m.Groups["value"].Value);
        Assert.Equal("2", samples["silo_discovery_outlier_reporting"]);
        Assert.Equal("2", samples[$"silo_discovery_endpoint_outlier_ejected{{address=\"10.0.1.1:15006\",host=\"{Reviews}\"}}"]);
        Assert.Equal("0", samples[$"silo_discovery_endpoint_outlier_ejected{{address=\"10.0.1.2:15006\",host=\"{Reviews}\"}}"]);
        Assert.Contains("# TYPE silo_discovery_endpoint_outlier_ejected gauge", text, StringComparison.Ordinal);
    }

    private static Task<V1.ListEndpointHealthResponse> ListAsync(DiscoveryFixture f) =>
        f.Client.CallAsync("DiscoveryService/ListEndpointHealth", new V1.ListEndpointHealthRequest(), V1.ListEndpointHealthResponse.Parser).Within("list endpoint health");

    private static V1.OutlierReport Report(params V1.EndpointOutlierStatus[] endpoints)
    {
        var report = new V1.OutlierReport();
        report.Endpoints.AddRange(endpoints);
        return report;
    }

    private static V1.EndpointOutlierStatus Status(string address, bool ejected, int count, DateTimeOffset? until, string? reason) => new()
    {
        Host = Reviews,
        Address = address,
        Port = 15006,
        Ejected = ejected,
        EjectionCount = count,
        EjectedUntil = until is { } u ? Timestamp.FromDateTimeOffset(u) : null,
        Reason = reason ?? "",
    };

    [GeneratedRegex(@"^(?<series>[a-zA-Z_:][^ ]*) (?<value>[^ ]+)$", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
