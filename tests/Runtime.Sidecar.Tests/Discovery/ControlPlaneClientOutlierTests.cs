using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Discovery;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Discovery;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Silo.Hosting;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Discovery;

/// <summary>The sidecar's control-plane link reporting its outlier detector's state to a real in-process control plane.</summary>
public sealed class ControlPlaneClientOutlierTests : IAsyncLifetime
{
    private const string Reviews = "reviews.bookinfo.svc.cluster.local";
    private static readonly GrpcCallOptions CallOptions = new() { Timeout = TestTimeouts.Default };

    private readonly string _root = Directory.CreateTempSubdirectory("outlier-report-").FullName;
    private RunningSilo _silo = null!;

    public async Task InitializeAsync()
    {
        // Heartbeats every 200 ms, so a changed state reaches the control plane quickly in real time.
        var options = new SiloOptions
        {
            GrpcPort = 0, HttpPort = 0, DataDir = Path.Combine(_root, "silo"), LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200), EndpointTtl = TimeSpan.FromSeconds(10),
        };
        _silo = await SiloHost.StartAsync(options, CancellationToken.None).Within();
    }

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Heartbeat_SourceState_ReportedThenClearedThenDroppedOnDeregister()
    {
        var until = new DateTimeOffset(2026, 11, 21, 12, 0, 31, TimeSpan.Zero);
        var ejected = new EndpointOutlierStatus(Reviews, "10.0.1.1", 15006, true, 2, until, "5 consecutive 5xx");
        var readmitted = new EndpointOutlierStatus(Reviews, "10.0.1.2", 15006, false, 1, null, "5 consecutive gateway errors");
        var source = new SettableOutlierStatusSource();
        source.Set(readmitted, ejected);
        var client = Start("productpage", source);

        await Eventually.Async("the outlier report", async () => (await HealthAsync()).Endpoints.Count == 2);
        var reported = await HealthAsync();
        source.Set();
        await Eventually.Async("the report to be cleared", async () => (await HealthAsync()).Endpoints.Count == 0);
        var cleared = await HealthAsync();
        await client.DisposeAsync();
        var afterDeregister = await HealthAsync();

        Assert.Equal(1, reported.ReportingProxies);
        Assert.Equal([ejected, readmitted], reported.Endpoints.Select(e => Assert.Single(e.Reports).Status));
        Assert.Equal([1, 0], reported.Endpoints.Select(e => e.EjectedBy));
        Assert.Equal(client.ProxyId, reported.Endpoints[0].Reports[0].ProxyId);
        Assert.Equal(1, cleared.ReportingProxies);
        Assert.Equal(0, afterDeregister.ReportingProxies);
        Assert.Empty(afterDeregister.Endpoints);
    }

    [Fact]
    public async Task Heartbeat_UnchangedState_NotSentAgain()
    {
        var source = new SettableOutlierStatusSource();
        source.Set(new EndpointOutlierStatus(Reviews, "10.0.1.1", 15006, true, 1, null, "5 consecutive 5xx"));
        await using var client = Start("productpage", source);
        await Eventually.Async("the outlier report", async () => (await HealthAsync()).Endpoints.Count == 1);
        var first = Assert.Single((await HealthAsync()).Endpoints).Reports[0].Reported;

        // Two more heartbeats after the report: the control plane keeps the report it had, received when it was.
        await Eventually.Async("two more heartbeats", async () => await LastHeartbeatAsync(client.ProxyId!) > first.AddMilliseconds(250));
        var later = Assert.Single((await HealthAsync()).Endpoints).Reports[0].Reported;

        Assert.Equal(first, later);
    }

    [Fact]
    public async Task Heartbeat_NoSourceOrFailingSource_HeartbeatsWithoutReporting()
    {
        var failing = new SettableOutlierStatusSource();
        failing.FailWith("detector broke");
        await using var none = Start("productpage", source: null);
        await using var broken = Start("details", failing);
        await Eventually.Async("both proxies to register", () => Task.FromResult(none.ProxyId is not null && broken.ProxyId is not null));
        var registered = DateTimeOffset.UtcNow;

        await Eventually.Async("heartbeats from both", async () =>
            await LastHeartbeatAsync(none.ProxyId!) > registered && await LastHeartbeatAsync(broken.ProxyId!) > registered);
        var health = await HealthAsync();

        Assert.Equal(0, health.ReportingProxies);
        Assert.Empty(health.Endpoints);
    }

    private ControlPlaneClient Start(string service, SettableOutlierStatusSource? source)
    {
        var options = new SidecarOptions { Service = service, Namespace = "bookinfo", Address = "127.0.0.1", DataDir = Path.Combine(_root, service) };
        options.ControlPlanes.Add(_silo.GrpcAddress);
        var identity = new SidecarIdentity(service, "bookinfo", options.Labels, "default");
        var client = new ControlPlaneClient(
            options,
            new BoundPorts(15006, 15001, 15000),
            new ProxyConfig(identity, TimeProvider.System, NullLogger<ProxyConfig>.Instance),
            new SnapshotFile(options.DataDir, service, "bookinfo", NullLogger<SnapshotFile>.Instance),
            TimeProvider.System,
            NullLogger<ControlPlaneClient>.Instance,
            source);
        client.Start();
        return client;
    }

    private async Task<MeshOutlierHealth> HealthAsync()
    {
        using var api = new GrpcClient(_silo.GrpcAddress);
        return DiscoveryMessages.FromMessage(await api.UnaryAsync(
            "/runtime.mesh.v1.DiscoveryService/ListEndpointHealth", new V1.ListEndpointHealthRequest(), V1.ListEndpointHealthResponse.Parser, CallOptions).Within());
    }

    private async Task<DateTimeOffset> LastHeartbeatAsync(string proxyId)
    {
        using var api = new GrpcClient(_silo.GrpcAddress);
        var proxies = await api.UnaryAsync("/runtime.mesh.v1.DiscoveryService/ListProxies", new V1.ListProxiesRequest(), V1.ListProxiesResponse.Parser, CallOptions).Within();
        return proxies.Proxies.Single(p => p.ProxyId == proxyId).LastHeartbeat.ToDateTimeOffset();
    }
}
