using System.Text;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Tcp;

/// <summary>
/// DestinationRule <c>connectionPool.tcp.idleTimeout</c> and <c>maxConnectionDuration</c> on tunnels through real
/// sidecars: the tunnel is closed, and counted and logged as Envoy does (no flag for idle, <c>DT</c> for duration).
/// </summary>
public sealed class TcpTimeoutMeshTests : IDisposable
{
    private const string EchoFqdn = "tcp-echo.default.svc.cluster.local";
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("mesh-tcp-timeouts-");

    [Fact]
    public async Task IdleTimeout_NoBytesEitherWay_TunnelClosedCountedWithoutFlag()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var echo = TcpEchoApp.Start("v1");
        var log = Path.Combine(_logs.FullName, "idle.log");
        var client = await StartAsync(harness, echo, log, "tcp-echo-idle", "{idleTimeout: 1s}");

        using var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}");
        Assert.Equal(200, tunnel.Status);

        // Nothing is sent: after the greeting the tunnel goes quiet and the sidecar ends it (the read sees the end).
        Assert.Equal("v1\n", Encoding.ASCII.GetString(await tunnel.ReadToEndAsync()));
        await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("response_flags", "-"), ("destination_service", EchoFqdn));
        await Eventually.Async($"a TCP line in {log}", () => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("\"- - -\"", StringComparison.Ordinal)));
        Assert.Contains("\"- - -\" 0 - 0 3 ", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxConnectionDuration_Reached_TunnelClosedCountedAndLoggedDT()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var echo = TcpEchoApp.Start("v1");
        var log = Path.Combine(_logs.FullName, "duration.log");
        var client = await StartAsync(harness, echo, log, "tcp-echo-duration", "{maxConnectionDuration: 1s}");

        using var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}");
        Assert.Equal(200, tunnel.Status);

        // The idle timeout is the default hour: only the duration limit can end this tunnel.
        Assert.Equal("v1\n", Encoding.ASCII.GetString(await tunnel.ReadToEndAsync()));
        var scraped = await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("response_flags", "DT"), ("destination_service", EchoFqdn));
        Assert.Equal(1, scraped.Sum("istio_tcp_connections_opened_total", ("reporter", "source"), ("response_flags", "-")));
        Assert.Equal(0, scraped.Sum("istio_tcp_connections_closed_total", ("reporter", "source"), ("response_flags", "-")));
        await Eventually.Async($"a TCP line in {log}", () => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("\"- - -\"", StringComparison.Ordinal)));
        Assert.Contains("\"- - -\" 0 DT 0 3 ", File.ReadAllText(log), StringComparison.Ordinal);
    }

    public void Dispose() => _logs.Delete(recursive: true);

    private static async Task<RunningSidecar> StartAsync(MeshHarness harness, TcpEchoApp echo, string log, string rule, string tcp)
    {
        await harness.StartSidecarAsync("tcp-echo", null, appPort: echo.Port, labels: ["app=tcp-echo", "version=v1"]);
        harness.ConfigureSidecar = options => options.AccessLogPath = log;
        var client = await harness.StartSidecarAsync("sleep", null, labels: ["app=sleep"]);
        await harness.ApplyAsync($$$"""
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: {{{rule}}}}
            spec:
              host: tcp-echo
              trafficPolicy: {connectionPool: {tcp: {{{tcp}}}}}
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-logs, namespace: default}
            spec:
              accessLogging: [{providers: [{name: envoy}]}]
            """);
        await MeshHarness.WaitForEndpointsAsync(client, EchoFqdn, 1);
        await MeshHarness.WaitForConfigAsync(client, rule);
        await MeshHarness.WaitForConfigAsync(client, "mesh-logs");
        return client;
    }
}
