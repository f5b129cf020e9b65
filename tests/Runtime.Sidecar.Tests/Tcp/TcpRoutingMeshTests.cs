using System.Net;
using System.Net.Sockets;
using System.Text;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Metrics;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Tcp;

/// <summary>
/// TCP routing and failures through real sidecars in plaintext: a weighted <c>tcp:</c> route over DestinationRule
/// subsets, connect failures answered with a reason, and the one access-log line per connection.
/// </summary>
public sealed class TcpRoutingMeshTests : IDisposable
{
    private const string EchoFqdn = "tcp-echo.default.svc.cluster.local";
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("mesh-tcp-logs-");

    [Fact]
    public async Task TcpRoute_80To20_SplitExactlyAndCountedPerVersion()
    {
        await using var harness = await MeshHarness.StartAsync();
        // Both versions listen on the same port number is impossible on one host; the route names the port the
        // client asked for and each server sidecar serves its own app port, so each version gets its own service port.
        await using var v1 = TcpEchoApp.Start("v1");
        await using var v2 = TcpEchoApp.Start("v2");
        await harness.StartSidecarAsync("tcp-echo", null, appPort: v1.Port, labels: ["app=tcp-echo", "version=v1"]);
        await harness.StartSidecarAsync("tcp-echo", null, appPort: v2.Port, labels: ["app=tcp-echo", "version=v2"]);
        var client = await harness.StartSidecarAsync("sleep", null, labels: ["app=sleep"]);
        await harness.ApplyAsync($$$"""
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: tcp-echo-subsets}
            spec:
              host: tcp-echo
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata: {name: tcp-echo-split}
            spec:
              hosts: [tcp-echo]
              tcp:
              - match: [{port: 9000}]
                route:
                - destination:
                    host: tcp-echo
                    subset: v1
                    port:
                      number: {{{v1.Port}}}
                  weight: 80
                - destination:
                    host: tcp-echo
                    subset: v2
                    port:
                      number: {{{v2.Port}}}
                  weight: 20
            """);
        await MeshHarness.WaitForEndpointsAsync(client, EchoFqdn, 2);
        await MeshHarness.WaitForConfigAsync(client, "tcp-echo-split");
        await MeshHarness.WaitForConfigAsync(client, "tcp-echo-subsets");

        var served = new Dictionary<string, int>(StringComparer.Ordinal) { ["v1"] = 0, ["v2"] = 0 };
        for (var i = 0; i < 20; i++)
        {
            using var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, "tcp-echo:9000");
            Assert.Equal(200, tunnel.Status);
            var received = Encoding.ASCII.GetString(await tunnel.ExchangeAsync(Encoding.ASCII.GetBytes("ping")));
            var version = received.Split('\n')[0];
            Assert.Equal(version + "\nping", received);
            served[version]++;
        }

        Assert.Equal(16, served["v1"]);
        Assert.Equal(4, served["v2"]);
        var scraped = await TcpMtlsMeshTests.ClosedAsync(client, 20, ("reporter", "source"), ("destination_service", EchoFqdn));
        foreach (var (version, count) in served)
        {
            (string, string)[] labels = [("reporter", "source"), ("destination_version", version), ("request_protocol", "tcp"), ("response_flags", "-")];
            Assert.Equal(count, scraped.Sum("istio_tcp_connections_opened_total", labels));
            Assert.Equal(count, scraped.Sum("istio_tcp_connections_closed_total", labels));
            Assert.Equal(count * 4, scraped.Sum("istio_tcp_received_bytes_total", labels));
            Assert.Equal(count * 7, scraped.Sum("istio_tcp_sent_bytes_total", labels));
        }

        // No tcp rule matches another port: NR, never a hang.
        using var unmatched = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, "tcp-echo:9001");
        Assert.Equal(404, unmatched.Status);
        Assert.Equal("NR", unmatched.Reason);
        Assert.Contains("no tcp route of VirtualService default/tcp-echo-split matched", Encoding.UTF8.GetString(await unmatched.ReadToEndAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NothingListening_503UfWithReasonCountedAndLogged()
    {
        await using var harness = await MeshHarness.StartAsync();
        var closedPort = ClosedPort();
        var log = Path.Combine(_logs.FullName, "sleep.log");
        harness.ConfigureSidecar = options => options.AccessLogPath = log;
        var client = await harness.StartSidecarAsync("sleep", null, labels: ["app=sleep"]);
        await harness.ApplyAsync($$$"""
            apiVersion: networking.istio.io/v1beta1
            kind: ServiceEntry
            metadata: {name: legacy-db}
            spec:
              hosts: [db.legacy.example]
              ports: [{number: {{{closedPort}}}, name: tcp, protocol: TCP}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1}]
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-logs, namespace: default}
            spec:
              accessLogging: [{providers: [{name: envoy}]}]
            """);
        await MeshHarness.WaitForConfigAsync(client, "legacy-db");
        await MeshHarness.WaitForConfigAsync(client, "mesh-logs");

        using (var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"db.legacy.example:{closedPort}"))
        {
            Assert.Equal(503, tunnel.Status);
            Assert.Equal("UF", tunnel.Reason);
            Assert.Contains($"connecting to 127.0.0.1:{closedPort} failed", Encoding.UTF8.GetString(await tunnel.ReadToEndAsync()), StringComparison.Ordinal);
        }

        // An unknown host: NR.
        using (var unknown = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, "nowhere.example:5432"))
        {
            Assert.Equal(404, unknown.Status);
            Assert.Equal("NR", unknown.Reason);
        }

        var scraped = await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("response_flags", "UF"), ("destination_service", "db.legacy.example"));
        await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("response_flags", "NR"));
        await Promtool.AssertAcceptedAsync(scraped.Text);

        // Envoy's TCP access-log line: no request ("- - -"), code 0, the flags, the target and the upstream tried.
        await Eventually.Async($"two TCP lines in {log}", () => Task.FromResult(File.Exists(log) && File.ReadAllLines(log).Count(l => l.Contains("\"- - -\"", StringComparison.Ordinal)) == 2));
        var line = File.ReadAllLines(log).Single(l => l.Contains(" UF ", StringComparison.Ordinal));
        Assert.Contains("\"- - -\" 0 UF 0 ", line, StringComparison.Ordinal);
        Assert.Contains($"\"db.legacy.example:{closedPort}\" \"127.0.0.1:{closedPort}\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tunnel_ToServiceEntryWithoutSidecar_PlainTcpSplicedAndLogged()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var legacy = TcpEchoApp.Start("legacy");
        var log = Path.Combine(_logs.FullName, "sleep-ok.log");
        harness.ConfigureSidecar = options => options.AccessLogPath = log;
        var client = await harness.StartSidecarAsync("sleep", null, labels: ["app=sleep"]);
        await harness.ApplyAsync($$$"""
            apiVersion: networking.istio.io/v1beta1
            kind: ServiceEntry
            metadata: {name: legacy-echo}
            spec:
              hosts: [echo.legacy.example]
              ports: [{number: {{{legacy.Port}}}, name: tcp, protocol: TCP}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1}]
            ---
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-logs, namespace: default}
            spec:
              accessLogging: [{providers: [{name: envoy}]}]
            """);
        await MeshHarness.WaitForConfigAsync(client, "legacy-echo");
        await MeshHarness.WaitForConfigAsync(client, "mesh-logs");

        using (var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"echo.legacy.example:{legacy.Port}"))
        {
            Assert.Equal(200, tunnel.Status);
            Assert.Equal("legacy\nhello", Encoding.ASCII.GetString(await tunnel.ExchangeAsync(Encoding.ASCII.GetBytes("hello"))));
        }

        await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("response_flags", "-"), ("destination_service", "echo.legacy.example"));
        await Eventually.Async($"a TCP line in {log}", () => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("\"- - -\"", StringComparison.Ordinal)));
        Assert.Contains("\"- - -\" 0 - 5 12 ", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxConnections_OneTunnelOpen_SecondAnswered503UoUntilTheFirstCloses()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var echo = TcpEchoApp.Start("v1");
        await harness.StartSidecarAsync("tcp-echo", null, appPort: echo.Port, labels: ["app=tcp-echo", "version=v1"]);
        var client = await harness.StartSidecarAsync("sleep", null, labels: ["app=sleep"]);
        await harness.ApplyAsync("""
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata: {name: tcp-echo-pool}
            spec:
              host: tcp-echo
              trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}}}
            """);
        await MeshHarness.WaitForEndpointsAsync(client, EchoFqdn, 1);
        await MeshHarness.WaitForConfigAsync(client, "tcp-echo-pool");

        using (var first = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}"))
        {
            Assert.Equal(200, first.Status);
            using var second = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}");
            Assert.Equal(503, second.Status);
            Assert.Equal("UO", second.Reason);
            Assert.Contains("connectionPool.tcp.maxConnections", Encoding.UTF8.GetString(await second.ReadToEndAsync()), StringComparison.Ordinal);
            Assert.Equal("v1\nbye", Encoding.ASCII.GetString(await first.ExchangeAsync(Encoding.ASCII.GetBytes("bye"))));
        }

        // The slot is given back when the first tunnel ends.
        await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("response_flags", "-"));
        using var third = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}");
        Assert.Equal(200, third.Status);
    }

    [Fact]
    public async Task Tunnel_ConnectDataAndFinAtOnce_Plaintext_AllEchoed()
    {
        await using var harness = await MeshHarness.StartAsync();
        await using var echo = TcpEchoApp.Start("v1");
        await harness.StartSidecarAsync("tcp-echo", null, appPort: echo.Port, labels: ["app=tcp-echo", "version=v1"]);
        var client = await harness.StartSidecarAsync("sleep", null, labels: ["app=sleep"]);
        await MeshHarness.WaitForEndpointsAsync(client, EchoFqdn, 1);

        var received = await TcpTunnelClient.SendAllAtOnceAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}", "all at once");

        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\nv1\nall at once", received);
    }

    public void Dispose() => _logs.Delete(recursive: true);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
