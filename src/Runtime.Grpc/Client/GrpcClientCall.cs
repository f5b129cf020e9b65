using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Client;

/// <summary>
/// The client side of one call: sends the request, reads response messages and the final status.
/// Reading and error mapping live in partial files. Disposing an unfinished call resets the stream.
/// </summary>
internal sealed partial class GrpcClientCall : IDisposable
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);
    private static readonly ProductInfoHeaderValue UserAgent = new("runtime-grpc", "0.1");

    private readonly GrpcClient _client;
    private readonly string _method;
    private readonly GrpcCallOptions? _options;
    private readonly CancellationToken _callerToken;
    private readonly CancellationTokenSource? _deadlineSource;
    private readonly CancellationTokenSource _callSource;
    private HttpResponseMessage? _response;
    private Stream? _responseStream;

    public GrpcClientCall(GrpcClient client, string method, GrpcCallOptions? options, CancellationToken callerToken)
    {
        _client = client;
        _method = method;
        _options = options;
        _callerToken = callerToken;
        if (options?.Timeout is { } timeout && timeout > TimeSpan.Zero && timeout < MaxTimerDelay)
        {
            _deadlineSource = new CancellationTokenSource(timeout);
            _callSource = CancellationTokenSource.CreateLinkedTokenSource(callerToken, _deadlineSource.Token);
        }
        else
        {
            _callSource = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        }
    }

    private static TimeSpan MaxTimerDelay { get; } = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private CancellationToken Token => _callSource.Token;

    /// <summary>Sends the request message and receives the response headers.</summary>
    public async Task StartAsync(IMessage request)
    {
        if (_options?.Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw DeadlineExceeded();
        }

        using var httpRequest = CreateRequest(request);
        try
        {
            _response = await _client.Invoker.SendAsync(httpRequest, Token).ConfigureAwait(false);
            ReadResponseHeaders(_response);
            if (_trailersOnlyStatus is null)
            {
                _responseStream = await _response.Content.ReadAsStreamAsync(Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not GrpcException)
        {
            throw Translate(ex, responseStarted: _response is not null);
        }
    }

    public void Dispose()
    {
        // Disposing a response that is still streaming sends RST_STREAM(CANCEL) to the server.
        _response?.Dispose();
        _callSource.Dispose();
        _deadlineSource?.Dispose();
    }

    private static byte[] Frame(IMessage message)
    {
        var size = message.CalculateSize();
        var frame = new byte[GrpcFrame.HeaderSize + size];
        GrpcFrame.WriteHeader(frame, size);
        message.WriteTo(frame.AsSpan(GrpcFrame.HeaderSize));
        return frame;
    }

    private HttpRequestMessage CreateRequest(IMessage request)
    {
        var httpRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(_client.Address, _method))
        {
            // Exact HTTP/2: prior knowledge (h2c) for http://, ALPN h2 for https://.
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(Frame(request)),
        };
        httpRequest.Content.Headers.ContentType = GrpcContentType;
        var headers = httpRequest.Headers;
        headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        headers.UserAgent.Add(UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (_options?.Timeout is { } timeout)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(timeout));
        }

        if (_options?.Headers is { } extra)
        {
            foreach (var (name, value) in extra)
            {
                headers.TryAddWithoutValidation(name.ToLowerInvariant(), value);
            }
        }

        return httpRequest;
    }

    /// <summary>Headers the transport sets itself; callers may not override them.</summary>
    internal static bool IsReservedHeader(string name) =>
        name.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith(':')
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase);
}
