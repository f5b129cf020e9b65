using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Runtime.Grpc.Client;
using Runtime.Grpc.Tests.Echo;
using Runtime.Grpc.Tests.Infrastructure;

namespace Runtime.Grpc.Tests.Client;

/// <summary>
/// The client against a peer that breaks the gRPC protocol in one way per method, checking each
/// failure maps to the status the gRPC HTTP/2 spec and its HTTP-to-status table prescribe.
/// </summary>
public sealed class GrpcClientProtocolErrorTests : IAsyncLifetime
{
    private WebApplication _peer = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        _peer = builder.Build();
        _peer.MapPost("/test.Peer/MissingStatus", async context =>
        {
            // A message and then the end of the stream, with no trailers at all.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(Frame(new EchoReply { Text = "orphan" }));
        });
        _peer.MapPost("/test.Peer/Html", async context =>
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html>proxy error page</html>");
        });
        _peer.MapPost("/test.Peer/Http/{code:int}", (HttpContext context, int code) =>
        {
            context.Response.StatusCode = code;
            return Task.CompletedTask;
        });
        _peer.MapPost("/test.Peer/TrailersOnly/{status}/{http:int}", (HttpContext context, string status, int http) =>
        {
            context.Response.StatusCode = http;
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = status;
            context.Response.Headers["grpc-message"] = "from peer";
            return Task.CompletedTask;
        });
        _peer.MapPost("/test.Peer/Reset/{code:int}", async (HttpContext context, int code) =>
        {
            // Headers and one message first, so the reset arrives while the client reads the body.
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(Frame(new EchoReply { Text = "before reset" }));
            await context.Response.Body.FlushAsync();
            context.Features.GetRequiredFeature<IHttpResetFeature>().Reset(code);
        });
        await _peer.StartAsync().Within();
        var address = _peer.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        _address = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        await _peer.StopAsync().Within();
        await _peer.DisposeAsync();
    }

    [Fact]
    public async Task UnaryAsync_ResponseEndsWithoutGrpcStatus_Unknown()
    {
        var error = await CallFailsAsync("/test.Peer/MissingStatus");

        Assert.Equal(GrpcStatusCode.Unknown, error.Status);
        Assert.Contains("without grpc-status", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryAsync_Http200WithNonGrpcContentType_Unknown()
    {
        var error = await CallFailsAsync("/test.Peer/Html");

        Assert.Equal(GrpcStatusCode.Unknown, error.Status);
        Assert.Contains("text/html", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, GrpcStatusCode.Internal)]
    [InlineData(401, GrpcStatusCode.Unauthenticated)]
    [InlineData(403, GrpcStatusCode.PermissionDenied)]
    [InlineData(404, GrpcStatusCode.Unimplemented)]
    [InlineData(429, GrpcStatusCode.Unavailable)]
    [InlineData(502, GrpcStatusCode.Unavailable)]
    [InlineData(503, GrpcStatusCode.Unavailable)]
    [InlineData(504, GrpcStatusCode.Unavailable)]
    [InlineData(500, GrpcStatusCode.Unknown)]
    public async Task UnaryAsync_HttpErrorWithoutGrpcStatus_MappedByHttpStatusTable(int httpStatus, GrpcStatusCode expected)
    {
        var error = await CallFailsAsync($"/test.Peer/Http/{httpStatus}");

        Assert.Equal(expected, error.Status);
    }

    [Fact]
    public async Task UnaryAsync_TrailersOnlyWithGrpcStatusAndHttpError_GrpcStatusWins()
    {
        var error = await CallFailsAsync("/test.Peer/TrailersOnly/5/404");

        Assert.Equal(GrpcStatusCode.NotFound, error.Status);
        Assert.Equal("from peer", error.Message);
    }

    [Theory]
    [InlineData("17")]
    [InlineData("99")]
    [InlineData("ok")]
    public async Task UnaryAsync_UndefinedGrpcStatus_Unknown(string status)
    {
        var error = await CallFailsAsync($"/test.Peer/TrailersOnly/{status}/200");

        Assert.Equal(GrpcStatusCode.Unknown, error.Status);
        Assert.Contains(status, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x2, GrpcStatusCode.Internal)]          // INTERNAL_ERROR
    [InlineData(0x8, GrpcStatusCode.Cancelled)]         // CANCEL
    [InlineData(0xB, GrpcStatusCode.ResourceExhausted)] // ENHANCE_YOUR_CALM
    [InlineData(0xC, GrpcStatusCode.PermissionDenied)]  // INADEQUATE_SECURITY
    public async Task ServerStreamingAsync_PeerResetsStream_MappedByHttp2ErrorCode(int errorCode, GrpcStatusCode expected)
    {
        using var client = new GrpcClient(_address);
        var error = await Assert.ThrowsAsync<GrpcException>(async () =>
        {
            // Whether the message before the reset is delivered is up to HttpClient (a reset may
            // discard buffered data); the status is what the spec fixes.
            await foreach (var reply in client.ServerStreamingAsync($"/test.Peer/Reset/{errorCode}", new EchoRequest(), EchoReply.Parser))
            {
                Assert.Equal("before reset", reply.Text);
            }
        }).Within();

        Assert.Equal(expected, error.Status);
        Assert.Contains($"0x{errorCode:X}", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Frame(EchoReply message)
    {
        var frame = new byte[5 + message.CalculateSize()];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(frame.Length - 5));
        message.WriteTo(frame.AsSpan(5));
        return frame;
    }

    private async Task<GrpcException> CallFailsAsync(string method)
    {
        using var client = new GrpcClient(_address);
        return await Assert.ThrowsAsync<GrpcException>(() => client.UnaryAsync(method, new EchoRequest(), EchoReply.Parser)).Within();
    }
}
