using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Runtime.Grpc.Tests.Echo;
using Runtime.Grpc.Tests.Infrastructure;

namespace Runtime.Grpc.Tests.Server;

public sealed class GrpcCompressedRequestTests : IAsyncLifetime
{
    private GrpcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await GrpcTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task CompressedRequest_Gzip_Decompressed()
    {
        var (status, _, body) = await SendCompressedEchoAsync("gzip");

        Assert.Equal("0", status);
        Assert.Equal("zipped", EchoReply.Parser.ParseFrom(body.AsSpan(5).ToArray()).Text);
    }

    [Fact]
    public async Task CompressedRequest_UnsupportedEncoding_UnimplementedListingAcceptedEncodings()
    {
        var (status, acceptEncoding, _) = await SendCompressedEchoAsync("deflate");

        Assert.Equal("12", status);
        Assert.Contains("gzip", acceptEncoding?.Split(',', StringSplitOptions.TrimEntries) ?? []);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("identity")]
    public async Task CompressedRequest_CompressedFlagWithoutCompression_Internal(string? encoding)
    {
        // The spec: a compressed flag with no (or identity) grpc-encoding is a protocol error, INTERNAL.
        var (status, _, _) = await SendCompressedEchoAsync(encoding);

        Assert.Equal("13", status);
    }

    /// <summary>Sends one gzip-compressed EchoRequest frame with the given grpc-encoding (null: none).</summary>
    private async Task<(string Status, string? AcceptEncoding, byte[] Body)> SendCompressedEchoAsync(string? encoding)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            new EchoRequest { Text = "zipped" }.WriteTo(gzip);
        }

        var frame = new byte[5 + compressed.Length];
        frame[0] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)compressed.Length);
        compressed.ToArray().CopyTo(frame, 5);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Address, EchoBehavior.Service + "Echo"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = new("application/grpc+proto");
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        using var response = await http.SendAsync(request).Within();
        var body = await response.Content.ReadAsByteArrayAsync().Within();
        var status = response.Headers.TryGetValues("grpc-status", out var inHeaders) ? inHeaders.Single() : response.TrailingHeaders.GetValues("grpc-status").Single();
        var acceptEncoding = response.Headers.TryGetValues("grpc-accept-encoding", out var accepted) ? accepted.Single() : null;
        return (status, acceptEncoding, body);
    }
}
