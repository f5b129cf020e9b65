using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Forwarding;

public sealed class HttpForwarderUpgradeTests
{
    [Fact]
    public async Task ForwardAsync_WebSocket_EchoesThroughTheTunnelAndClosesCleanly()
    {
        await using var upstream = await TestServer.StartAsync(
            async context =>
            {
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    context.Response.StatusCode = 400;
                    return;
                }

                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                var buffer = new byte[4096];
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
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address);
        using var client = new ClientWebSocket();

        await client.ConnectAsync(new Uri($"ws://{proxy.Address.Authority}/ws"), CancellationToken.None).Within();
        var buffer = new byte[4096];
        for (var i = 0; i < 3; i++)
        {
            var text = Encoding.UTF8.GetBytes($"hello {i}");
            await client.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).Within();
            var received = await client.ReceiveAsync(buffer, CancellationToken.None).Within();
            Assert.Equal($"hello {i}", Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).Within();

        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal("bye", client.CloseStatusDescription);
        var result = await proxy.NextResultAsync();
        Assert.Equal(ForwardOutcome.Success, result.Outcome);
        Assert.Equal(101, result.StatusCode);
        proxy.Logs.AssertNoErrors();
    }
}
