using System.Buffers.Binary;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Forwarding;

public sealed class HttpForwarderHttp2Tests
{
    [Fact]
    public async Task ForwardAsync_H2cDownstream_ForwardsOverH2cUpstream()
    {
        await using var upstream = await TestServer.StartAsync(UpstreamHandlers.EchoRequestAsync, HttpProtocols.Http2);
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address, HttpProtocols.Http2);
        using var client = TestClients.H2c(proxy.Address);

        using var response = await client.GetAsync("/h2?x=%2F%20").Within();

        Assert.Equal(HttpVersion.Version20, response.Version);
        var seen = UpstreamHandlers.ParseEcho(await response.Content.ReadAsStringAsync().Within());
        Assert.Equal(["HTTP/2"], seen["protocol"]);
        Assert.Equal(["/h2?x=%2F%20"], seen["target"]);
        Assert.Equal([proxy.Address.Authority], seen["host"]);
    }

    [Fact]
    public async Task ForwardAsync_GrpcUnary_MessageAndTrailersPassThrough()
    {
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            var request = await ReadToEndAsync(context.Request.Body);
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(Frame(Encoding.UTF8.GetString(request.AsSpan(5)) + " " + context.Request.Headers.TE));
            context.Response.AppendTrailer("grpc-status", "7");
            context.Response.AppendTrailer("grpc-message", "denied%20by policy");
        }, HttpProtocols.Http2);
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address, HttpProtocols.Http2);
        using var client = TestClients.H2c(proxy.Address);
        using var request = TestClients.H2Request(HttpMethod.Post, "/echo.Echo/Unary", content: new ByteArrayContent(Frame("ping")));
        request.Content!.Headers.ContentType = new("application/grpc");
        request.Headers.TE.ParseAdd("trailers");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).Within();
        var body = await ReadToEndAsync(await response.Content.ReadAsStreamAsync().Within());

        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ping trailers", Encoding.UTF8.GetString(body.AsSpan(5)));
        Assert.Equal(["7"], response.TrailingHeaders.GetValues("grpc-status"));
        Assert.Equal(["denied%20by policy"], response.TrailingHeaders.GetValues("grpc-message"));
        Assert.Equal(ForwardOutcome.Success, (await proxy.NextResultAsync()).Outcome);
    }

    [Fact]
    public async Task ForwardAsync_BidirectionalStream_EchoesEachMessageBeforeTheNextIsSent()
    {
        await using var upstream = await TestServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.FlushAsync(); // headers now, as a gRPC server sending initial metadata
            var buffer = new byte[4096];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read));
            }

            context.Response.AppendTrailer("grpc-status", "0");
        }, HttpProtocols.Http2);
        await using var proxy = await ForwardingProxy.StartAsync(upstream.Address, HttpProtocols.Http2);
        using var client = TestClients.H2c(proxy.Address);
        var content = new DuplexContent();
        using var request = TestClients.H2Request(HttpMethod.Post, "/echo.Echo/Bidi", content: content);
        request.Headers.TE.ParseAdd("trailers");

        // The response headers must come back before the client sends anything (gRPC clients wait for them).
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).Within();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync().Within();
        for (var i = 0; i < 10; i++)
        {
            // Each echo must come back while the request stream is still open: a half-duplex relay would hang here.
            var message = Frame($"message {i}");
            await content.WriteAsync(message).Within();
            Assert.Equal(message, await TestClients.ReadExactlyAsync(stream, message.Length));
        }

        content.Complete();
        Assert.Equal(0, await stream.ReadAsync(new byte[1]).AsTask().Within());
        Assert.Equal(["0"], response.TrailingHeaders.GetValues("grpc-status"));
        Assert.Equal(ForwardOutcome.Success, (await proxy.NextResultAsync()).Outcome);
    }

    private static byte[] Frame(string message)
    {
        var payload = Encoding.UTF8.GetBytes(message);
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).Within();
        return buffer.ToArray();
    }
}
