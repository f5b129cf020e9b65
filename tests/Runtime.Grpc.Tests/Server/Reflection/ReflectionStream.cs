using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;
using Runtime.Grpc.Server.Reflection.V1;
using Runtime.Grpc.Tests.Infrastructure;

namespace Runtime.Grpc.Tests.Server.Reflection;

/// <summary>A raw bidirectional HTTP/2 gRPC stream to the reflection service: one request at a time, body kept open.</summary>
internal sealed class ReflectionStream : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly DuplexRequestContent _requestBody;
    private readonly Task<HttpResponseMessage> _sending;
    private HttpResponseMessage? _response;
    private Stream? _responseBody;

    private ReflectionStream(HttpClient http, DuplexRequestContent requestBody, Task<HttpResponseMessage> sending)
    {
        _http = http;
        _requestBody = requestBody;
        _sending = sending;
    }

    /// <summary>Starts the call; like real clients, it does not wait for response headers before sending.</summary>
    public static Task<ReflectionStream> OpenAsync(Uri address, string method)
    {
        var http = new HttpClient();
        var body = new DuplexRequestContent();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = body,
        };
        request.Content.Headers.ContentType = new("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return Task.FromResult(new ReflectionStream(http, body, http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead)));
    }

    private async Task<Stream> ResponseBodyAsync()
    {
        if (_responseBody is null)
        {
            _response = await _sending.Within();
            Assert.Equal(HttpStatusCode.OK, _response.StatusCode);
            _responseBody = await _response.Content.ReadAsStreamAsync().Within();
        }

        return _responseBody;
    }

    public async Task<ServerReflectionResponse> AskAsync(ServerReflectionRequest request)
    {
        var bytes = request.ToByteArray();
        var frame = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame, 5);
        await _requestBody.WriteAsync(frame).AsTask().Within();

        var responseBody = await ResponseBodyAsync();
        var header = new byte[5];
        await responseBody.ReadExactlyAsync(header).AsTask().Within();
        var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1))];
        await responseBody.ReadExactlyAsync(payload).AsTask().Within();
        return ServerReflectionResponse.Parser.ParseFrom(payload);
    }

    /// <summary>Half-closes the request and returns the status from the trailers.</summary>
    public async Task<GrpcStatusCode> CompleteAsync()
    {
        _requestBody.Complete();
        var rest = new byte[1];
        Assert.Equal(0, await (await ResponseBodyAsync()).ReadAsync(rest).AsTask().Within());
        return (GrpcStatusCode)int.Parse(_response!.TrailingHeaders.GetValues("grpc-status").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        _requestBody.Complete();
        _response?.Dispose();
        _http.Dispose();
    }
}
