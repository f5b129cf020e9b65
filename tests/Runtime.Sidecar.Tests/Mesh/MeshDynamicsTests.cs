using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Mesh;

/// <summary>The mesh while things change: the control plane dies, routes change, endpoints come and go.</summary>
public sealed class MeshDynamicsTests
{
    private const string ReviewsV1Only = """
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: reviews
        spec:
          host: reviews
          subsets:
          - name: v1
            labels: { version: v1 }
          - name: v2
            labels: { version: v2 }
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: { host: reviews, subset: v1 }
        """;

    [Fact]
    public async Task Traffic_ControlPlaneStoppedUnderLoad_NoRequestFails()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var app = await mesh.StartAppAsync("reviews");
        await mesh.StartSidecarAsync("reviews", app, labels: ["version=v1"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);

        await using var load = SteadyLoad.Start(productpage.OutboundAddress, "reviews");
        await load.WaitForAsync(200);
        await mesh.StopSiloAsync();
        await load.WaitForAsync(load.Succeeded + 500);
        var (succeeded, failures) = await load.StopAsync();

        Assert.True(succeeded >= 700, $"only {succeeded} requests completed");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Traffic_ControlPlaneProcessKilledUnderLoad_NoRequestFails()
    {
        using var directory = new Runtime.Silo.Tests.Testing.TempDirectory();
        using var silo = await Runtime.Silo.Tests.Testing.SiloProcess.StartAsync(directory.Path);
        await using var mesh = MeshHarness.Detached(silo.GrpcAddress);
        var app = await mesh.StartAppAsync("reviews");
        await mesh.StartSidecarAsync("reviews", app, labels: ["version=v1"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);

        await using var load = SteadyLoad.Start(productpage.OutboundAddress, "reviews");
        await load.WaitForAsync(200);
        silo.Kill();
        await load.WaitForAsync(load.Succeeded + 500);
        var (succeeded, failures) = await load.StopAsync();

        Assert.True(succeeded >= 700, $"only {succeeded} requests completed");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Traffic_RouteChangedUnderLoad_NoRequestFailsAndTrafficMoves()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var v1 = await mesh.StartAppAsync("v1");
        var v2 = await mesh.StartAppAsync("v2");
        await mesh.StartSidecarAsync("reviews", v1, labels: ["version=v1"]);
        await mesh.StartSidecarAsync("reviews", v2, labels: ["version=v2"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await mesh.ApplyAsync(ReviewsV1Only);
        await MeshHarness.WaitForConfigAsync(productpage, "\"subset\": \"v1\"");
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 2);

        await using var load = SteadyLoad.Start(productpage.OutboundAddress, "reviews");
        await load.WaitForAsync(200);
        await mesh.ApplyAsync(ReviewsV1Only.Replace("- destination: { host: reviews, subset: v1 }", "- destination: { host: reviews, subset: v2 }", StringComparison.Ordinal));
        await Eventually.Async("traffic to reach v2", () => Task.FromResult(load.LastBody.StartsWith("v2", StringComparison.Ordinal)));
        await load.WaitForAsync(load.Succeeded + 200);
        var (_, failures) = await load.StopAsync();

        Assert.Empty(failures);
    }

    [Fact]
    public async Task Endpoints_NewOneJoinsAndStoppedOneLeaves_TrafficFollowsWithinSeconds()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var first = await mesh.StartAppAsync("first");
        var firstSidecar = await mesh.StartSidecarAsync("reviews", first, labels: ["version=v1"]);
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        using var client = new HttpClient { Timeout = TestTimeouts.Default };

        var second = await mesh.StartAppAsync("second");
        await mesh.StartSidecarAsync("reviews", second, labels: ["version=v1"]);
        await Eventually.Async("the new endpoint to receive traffic", async () => (await SteadyLoad.GetAsync(client, productpage.OutboundAddress, "reviews")).StartsWith("second", StringComparison.Ordinal));
        await firstSidecar.DisposeAsync();
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);

        for (var i = 0; i < 20; i++)
        {
            Assert.StartsWith("second", await SteadyLoad.GetAsync(client, productpage.OutboundAddress, "reviews"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Endpoints_SidecarProcessKilled_DroppedAfterItsTtlAndTrafficGoesToTheSurvivor()
    {
        await using var mesh = await MeshHarness.StartAsync(endpointTtl: TimeSpan.FromSeconds(2));
        var survivor = await mesh.StartAppAsync("survivor");
        var doomed = await mesh.StartAppAsync("doomed");
        await mesh.StartSidecarAsync("reviews", survivor);
        using var doomedSidecar = SidecarProcess.Start(mesh.ControlPlane, "reviews", doomed.Address.Port, "reviews-doomed");
        var productpage = await mesh.StartSidecarAsync("productpage", null);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 2);
        using var client = new HttpClient { Timeout = TestTimeouts.Default };
        await Eventually.Async("the process's endpoint to receive traffic", async () => (await SteadyLoad.GetAsync(client, productpage.OutboundAddress, "reviews")).StartsWith("doomed", StringComparison.Ordinal));

        doomedSidecar.Kill();
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);

        for (var i = 0; i < 20; i++)
        {
            Assert.StartsWith("survivor", await SteadyLoad.GetAsync(client, productpage.OutboundAddress, "reviews"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WebSocket_ThroughTwoSidecars_Echoes()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var echo = await TestServer.StartAsync(
            async context =>
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[1024];
                while (true)
                {
                    var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", context.RequestAborted);
                        return;
                    }

                    await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
                }
            },
            pipeline: app => app.UseWebSockets());
        await mesh.StartSidecarAsync("echo", echo);
        var client = await mesh.StartSidecarAsync("client", null);
        await MeshHarness.WaitForEndpointsAsync(client, "echo.default.svc.cluster.local", 1);

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Host", "echo");
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        await socket.ConnectAsync(new Uri($"ws://{client.OutboundAddress.Authority}/chat"), timeout.Token);
        var replies = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes($"hello {i}"), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
            var buffer = new byte[1024];
            var received = await socket.ReceiveAsync(buffer, timeout.Token);
            replies.Add(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"hello {i}"), replies);
    }
}
