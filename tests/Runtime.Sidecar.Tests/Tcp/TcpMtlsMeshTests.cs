using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Metrics;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Tcp;

/// <summary>
/// TCP through two real sidecars over mTLS: an app's CONNECT on its outbound listener, a CONNECT tunnel inside mTLS
/// between the sidecars, the server sidecar's PeerAuthentication and AuthorizationPolicy, and a real TCP echo app.
/// </summary>
public sealed class TcpMtlsMeshTests
{
    private const string EchoFqdn = "tcp-echo.default.svc.cluster.local";

    [Fact]
    public async Task Tunnel_OverMtls_BytesExactBothWaysHalfCloseMetricsAndGraph()
    {
        await using var mesh = await MtlsMesh.StartAsync(endpointTtl: TimeSpan.FromSeconds(4));
        await using var echo = TcpEchoApp.Start("echo-v1");
        var (server, client) = await StartPairAsync(mesh, echo);

        // 300 KB one way; the echo app answers only after the client ended its side, so every byte back proves the
        // half-close went through both sidecars and the end came back.
        var data = new byte[300_000];
        new Random(6).NextBytes(data);
        using (var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}"))
        {
            Assert.Equal(200, tunnel.Status);
            var received = await tunnel.ExchangeAsync(data);
            Assert.Equal([.. echo.Greeting, .. data], received);
        }

        long sent = echo.Greeting.Length + data.Length;
        var common = new[]
        {
            ("request_protocol", "tcp"),
            ("source_workload", "sleep"),
            ("source_principal", TlsTestCa.SpiffeId("sleep")),
            ("destination_workload", "tcp-echo"),
            ("destination_principal", TlsTestCa.SpiffeId("tcp-echo")),
            ("destination_version", "v1"),
            ("destination_service", EchoFqdn),
            ("response_flags", "-"),
        };
        var source = await ClosedAsync(client, 1, [("reporter", "source"), ("connection_security_policy", "unknown"), .. common]);
        var destination = await ClosedAsync(server, 1, [("reporter", "destination"), ("connection_security_policy", "mutual_tls"), ("source_app", "sleep"), .. common]);
        foreach (var (scraped, match) in new[] { (source, "source"), (destination, "destination") })
        {
            (string, string)[] labels = [("reporter", match), .. common];
            Assert.Equal(1, scraped.Sum("istio_tcp_connections_opened_total", labels));
            Assert.Equal(data.Length, scraped.Sum("istio_tcp_received_bytes_total", labels));
            Assert.Equal(sent, scraped.Sum("istio_tcp_sent_bytes_total", labels));
            Assert.DoesNotContain(scraped.Samples, s => s.Name.StartsWith("istio_tcp_", StringComparison.Ordinal) && s.Labels.ContainsKey("response_code"));
            await Promtool.AssertAcceptedAsync(scraped.Text);
        }

        // The service graph: one tcp edge, one connection, the bytes as they flowed, with the lock.
        var graphUri = new Uri(mesh.Harness.Silo!.HttpAddress, "/api/dashboard/graph?window=600");
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        JsonElement edge = default;
        await Eventually.Async("a tcp edge sleep -> tcp-echo in the service graph", async () =>
        {
            var graph = await http.GetFromJsonAsync<JsonElement>(graphUri);
            edge = graph.GetProperty("edges").EnumerateArray().FirstOrDefault(e => e.GetProperty("id").GetString() == "default/sleep/v1->default/tcp-echo/v1");
            return edge.ValueKind == JsonValueKind.Object && edge.GetProperty("requests").GetInt64() == 1;
        });
        Assert.Equal("tcp", edge.GetProperty("protocol").GetString());
        Assert.True(edge.GetProperty("mtls").GetBoolean());
        Assert.Equal(0, edge.GetProperty("errors").GetInt64());
    }

    [Fact]
    public async Task Tunnel_ConnectDataAndFinAtOnce_OverMtls_AllEchoed()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        await using var echo = TcpEchoApp.Start("echo-v1");
        var (_, client) = await StartPairAsync(mesh, echo);

        var received = await TcpTunnelClient.SendAllAtOnceAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}", "all at once");

        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\necho-v1\nall at once", received);
    }

    [Fact]
    public async Task Tunnel_StrictPeerAuthentication_PlaintextTunnelRefused()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        await using var echo = TcpEchoApp.Start("echo-v1");
        await mesh.Harness.ApplyAsync("""
            apiVersion: security.istio.io/v1beta1
            kind: PeerAuthentication
            metadata: {name: strict, namespace: default}
            spec: {mtls: {mode: STRICT}}
            """);
        var (server, client) = await StartPairAsync(mesh, echo);
        await MeshHarness.WaitForConfigAsync(server, "strict");

        // A plaintext CONNECT straight to the server sidecar's inbound port: closed without an answer.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.InboundAddress.Host, server.InboundAddress.Port).Within();
        await socket.SendAsync(Encoding.ASCII.GetBytes($"CONNECT tcp-echo:{echo.Port} HTTP/1.1\r\n\r\n")).Within();
        var answer = await ReadAllOrResetAsync(socket);
        Assert.Equal("", answer);
        Assert.Equal(0, echo.Accepted);

        // Through the client sidecar (mTLS) the same tunnel works.
        using var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}");
        Assert.Equal(200, tunnel.Status);
        var echoed = await tunnel.ExchangeAsync(Encoding.ASCII.GetBytes("hi"));
        Assert.Equal(Encoding.ASCII.GetBytes("echo-v1\nhi"), echoed);
    }

    [Fact]
    public async Task Tunnel_DenyByPrincipal_RefusedAndClosed_AllowByNamespacePasses()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        await using var echo = TcpEchoApp.Start("echo-v1");
        var (server, client) = await StartPairAsync(mesh, echo);
        await mesh.Harness.ApplyAsync("""
            apiVersion: security.istio.io/v1beta1
            kind: AuthorizationPolicy
            metadata: {name: deny-sleep, namespace: default}
            spec:
              selector: {matchLabels: {app: tcp-echo}}
              action: DENY
              rules:
              - from: [{source: {principals: ["cluster.local/ns/default/sa/sleep"]}}]
            """);
        await MeshHarness.WaitForConfigAsync(server, "deny-sleep");

        using (var denied = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}"))
        {
            Assert.Equal(403, denied.Status);
            Assert.Equal("RBAC", denied.Reason);
            Assert.Equal("RBAC: access denied\n", Encoding.UTF8.GetString(await denied.ReadToEndAsync()));
        }

        Assert.Equal(0, echo.Accepted);
        await ClosedAsync(server, 1, ("reporter", "destination"), ("response_flags", "RBAC"), ("source_principal", TlsTestCa.SpiffeId("sleep")));

        // Replace the DENY with an ALLOW for the caller's namespace: the tunnel opens. An ALLOW naming an HTTP-only field
        // (methods) never matches TCP, so by itself it would refuse; next to the namespace rule it changes nothing.
        await mesh.Harness.ApplyAsync("""
            apiVersion: security.istio.io/v1beta1
            kind: AuthorizationPolicy
            metadata: {name: deny-sleep, namespace: default}
            spec:
              selector: {matchLabels: {app: tcp-echo}}
              action: ALLOW
              rules:
              - from: [{source: {namespaces: ["default"]}}]
              - to: [{operation: {methods: ["GET"]}}]
            """);
        await MeshHarness.WaitForConfigAsync(server, "ALLOW");
        using var allowed = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{echo.Port}");
        Assert.Equal(200, allowed.Status);
        var echoed = await allowed.ExchangeAsync(Encoding.ASCII.GetBytes("ok"));
        Assert.Equal(Encoding.ASCII.GetBytes("echo-v1\nok"), echoed);
    }

    [Fact]
    public async Task Tunnel_PortTheWorkloadDoesNotServe_RefusedWithReason()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        await using var echo = TcpEchoApp.Start("echo-v1");
        await using var other = TcpEchoApp.Start("not-served");
        var (_, client) = await StartPairAsync(mesh, echo);

        using var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-echo:{other.Port}");

        Assert.Equal(404, tunnel.Status);
        Assert.Equal("NR", tunnel.Reason);
        Assert.Contains($"port {other.Port} is not served by tcp-echo", Encoding.UTF8.GetString(await tunnel.ReadToEndAsync()), StringComparison.Ordinal);
        Assert.Equal(0, other.Accepted);
    }

    internal static async Task<ScrapedMetrics> ClosedAsync(RunningSidecar sidecar, int count, params (string, string)[] labels)
    {
        ScrapedMetrics scraped = null!;
        await Eventually.Async($"{count} closed TCP connections at {sidecar.AdminAddress} with {string.Join(',', labels)}", async () =>
        {
            scraped = await ScrapedMetrics.ScrapeAsync(sidecar);
            return scraped.Sum("istio_tcp_connections_closed_total", labels) == count;
        });
        return scraped;
    }

    private static async Task<(RunningSidecar Server, RunningSidecar Client)> StartPairAsync(MtlsMesh mesh, TcpEchoApp echo)
    {
        mesh.ConfigureSidecar = options => options.AppPort = echo.Port;
        var server = await mesh.StartSidecarAsync("tcp-echo", null, "tcp-echo", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("tcp-echo")), "app=tcp-echo", "version=v1");
        mesh.ConfigureSidecar = null;
        var client = await mesh.StartSidecarAsync("sleep", null, "sleep", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("sleep")), "app=sleep", "version=v1");
        await MeshHarness.WaitForEndpointsAsync(client, EchoFqdn, 1);
        return (server, client);
    }

    private static async Task<string> ReadAllOrResetAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer).Within()) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset is a refusal too.
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }
}
