using System.Net;
using System.Net.Sockets;
using System.Text;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Security;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Tcp;

/// <summary>
/// Half-close when the upstream finishes first, through two real sidecars: the app behind the server sidecar sends
/// and ends its side; the caller sees that end, keeps sending, and the app still receives every byte.
/// </summary>
public sealed class TcpHalfCloseMeshTests
{
    private const string ServerFqdn = "tcp-first.default.svc.cluster.local";

    [Fact]
    public async Task UpstreamEndsFirst_FinPassedOn_CallerKeepsSendingToTheApp()
    {
        await using var harness = await MeshHarness.StartAsync();
        using var app = new TcpListener(IPAddress.Loopback, 0);
        app.Start();
        var appPort = ((IPEndPoint)app.LocalEndpoint).Port;
        var serving = ServeAsync(app);
        await harness.StartSidecarAsync("tcp-first", null, appPort: appPort, labels: ["app=tcp-first"]);
        var client = await harness.StartSidecarAsync("sleep", null, labels: ["app=sleep"]);
        await MeshHarness.WaitForEndpointsAsync(client, ServerFqdn, 1);

        using var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-first:{appPort}");
        Assert.Equal(200, tunnel.Status);

        // The app's end arrives as the end of the stream: the tunnel is still open the other way.
        Assert.Equal("server speaks first", Encoding.ASCII.GetString(await tunnel.ReadToEndAsync()));
        await tunnel.SendAndEndAsync(Encoding.ASCII.GetBytes("and the caller answers after"));

        Assert.Equal("and the caller answers after", await serving.Within());
        await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("response_flags", "-"), ("destination_service", ServerFqdn));
    }

    [Fact]
    public async Task UpstreamEndsFirst_OverMtls_EndTravelsAsCloseNotify_CallerKeepsSendingToTheApp()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        using var app = new TcpListener(IPAddress.Loopback, 0);
        app.Start();
        var appPort = ((IPEndPoint)app.LocalEndpoint).Port;
        var serving = ServeAsync(app);
        mesh.ConfigureSidecar = options => options.AppPort = appPort;
        var server = await mesh.StartSidecarAsync("tcp-first", null, "tcp-first", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("tcp-first")), "app=tcp-first");
        mesh.ConfigureSidecar = null;
        var client = await mesh.StartSidecarAsync("sleep", null, "sleep", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("sleep")), "app=sleep");
        await MeshHarness.WaitForEndpointsAsync(client, ServerFqdn, 1);

        using var tunnel = await TcpTunnelClient.ConnectAsync(client.OutboundAddress, $"tcp-first:{appPort}");
        Assert.Equal(200, tunnel.Status);

        // The server sidecar ends its side of the mTLS (close_notify) after the app's last byte; the client sidecar
        // turns that into a FIN for the caller, and the mTLS still carries the caller's bytes up to the app.
        Assert.Equal("server speaks first", Encoding.ASCII.GetString(await tunnel.ReadToEndAsync()));
        await tunnel.SendAndEndAsync(Encoding.ASCII.GetBytes("and the caller answers after, over mTLS"));

        Assert.Equal("and the caller answers after, over mTLS", await serving.Within());
        await TcpMtlsMeshTests.ClosedAsync(server, 1, ("reporter", "destination"), ("response_flags", "-"), ("connection_security_policy", "mutual_tls"));
        await TcpMtlsMeshTests.ClosedAsync(client, 1, ("reporter", "source"), ("response_flags", "-"), ("destination_service", ServerFqdn));
    }

    /// <summary>An app that sends, ends its side, and returns all it then receives until the caller ends too.</summary>
    private static async Task<string> ServeAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync().Within();
        await socket.SendAsync("server speaks first"u8.ToArray()).Within();
        socket.Shutdown(SocketShutdown.Send);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer).Within()) > 0)
        {
            received.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }
}
