using System.Runtime.CompilerServices;
using Google.Protobuf;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Client;

/// <summary>
/// Calls gRPC methods over HTTP/2 with <see cref="HttpMessageInvoker"/>: prior-knowledge h2c for
/// <c>http://</c> addresses, TLS with ALPN h2 for <c>https://</c>. Thread-safe; reuse one per server.
/// </summary>
/// <remarks>
/// Every failed call throws <see cref="GrpcException"/>: a non-OK <c>grpc-status</c> (message and
/// details decoded), an HTTP-level failure mapped by the gRPC HTTP-to-status table, an unreachable
/// server as <see cref="GrpcStatusCode.Unavailable"/>, a passed deadline as
/// <see cref="GrpcStatusCode.DeadlineExceeded"/>. The one exception: when the caller's own
/// <see cref="CancellationToken"/> fires, the call throws <see cref="OperationCanceledException"/>
/// carrying that token, as .NET callers expect; a cancellation the caller did not ask for (e.g. the
/// server resetting the stream with CANCEL) is <see cref="GrpcStatusCode.Cancelled"/>.
/// </remarks>
public sealed class GrpcClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker;

    /// <summary>Creates a client for one server.</summary>
    /// <param name="address">The server's base address, e.g. <c>http://127.0.0.1:15010</c>.</param>
    /// <param name="handler">
    /// The HTTP handler to send with (e.g. a <see cref="SocketsHttpHandler"/> with client certificates);
    /// not disposed by this client. Null creates a <see cref="SocketsHttpHandler"/> owned by the client.
    /// </param>
    public GrpcClient(Uri address, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"gRPC address '{address}' must be an absolute http:// or https:// URI.", nameof(address));
        }

        Address = address;
        Target = $"{address.Scheme}://{address.Authority}";
        _invoker = handler is null
            ? new HttpMessageInvoker(CreateDefaultHandler(), disposeHandler: true)
            : new HttpMessageInvoker(handler, disposeHandler: false);
    }

    /// <summary>The server's base address.</summary>
    public Uri Address { get; }

    /// <summary>Largest response message accepted, in bytes; bigger ones fail with RESOURCE_EXHAUSTED. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; init; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>"scheme://host:port", used in error messages.</summary>
    internal string Target { get; }

    internal HttpMessageInvoker Invoker => _invoker;

    /// <summary>Calls a unary method.</summary>
    /// <typeparam name="TRequest">The request message type.</typeparam>
    /// <typeparam name="TResponse">The response message type.</typeparam>
    /// <param name="method">The method path, e.g. <c>/runtime.mesh.v1.ConfigService/Apply</c>.</param>
    /// <param name="request">The request message.</param>
    /// <param name="parser">Parses the response, e.g. <c>ApplyResponse.Parser</c>.</param>
    /// <param name="options">Deadline and headers; null for none.</param>
    /// <param name="cancellationToken">Cancels the call (throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>The response message.</returns>
    /// <exception cref="GrpcException">The call failed; see the class remarks.</exception>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        GrpcCallOptions? options = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        ValidateArguments(method, request, parser, options);
        using var call = new GrpcClientCall(this, method, options, cancellationToken);
        await call.StartAsync(request).ConfigureAwait(false);
        var response = await call.ReadNextAsync(parser).ConfigureAwait(false);
        if (response is null)
        {
            throw new GrpcException(GrpcStatusCode.Internal, $"{method} returned status OK without a response message.");
        }

        if (await call.ReadNextAsync(parser).ConfigureAwait(false) is not null)
        {
            throw new GrpcException(GrpcStatusCode.Internal, $"{method} returned more than one message for a unary call.");
        }

        return response;
    }

    /// <summary>
    /// Calls a server-streaming method. The call starts when enumeration starts; stopping early
    /// (break, dispose) cancels it on the server.
    /// </summary>
    /// <typeparam name="TRequest">The request message type.</typeparam>
    /// <typeparam name="TResponse">The streamed message type.</typeparam>
    /// <param name="method">The method path, e.g. <c>/runtime.mesh.v1.ConfigService/Watch</c>.</param>
    /// <param name="request">The request message.</param>
    /// <param name="parser">Parses each response message.</param>
    /// <param name="options">Deadline (covering the whole stream) and headers; null for none.</param>
    /// <param name="cancellationToken">Cancels the call; so does the enumerator's token.</param>
    /// <returns>The response messages as they arrive.</returns>
    /// <exception cref="GrpcException">The call failed (thrown while enumerating); see the class remarks.</exception>
    public IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        GrpcCallOptions? options = null,
        CancellationToken cancellationToken = default)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        ValidateArguments(method, request, parser, options);
        return ReadStreamAsync(method, request, parser, options, cancellationToken, CancellationToken.None);
    }

    /// <summary>Disposes the HTTP handler when the client created it.</summary>
    public void Dispose() => _invoker.Dispose();

    private static void ValidateArguments(string method, object request, object parser, GrpcCallOptions? options)
    {
        foreach (var name in options?.Headers?.Keys ?? [])
        {
            if (GrpcClientCall.IsReservedHeader(name))
            {
                throw new ArgumentException($"Header '{name}' is reserved by the gRPC protocol and cannot be set per call.", nameof(options));
            }
        }

        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parser);
        if (method[0] != '/' || method.IndexOf('/', 1) < 2)
        {
            throw new ArgumentException($"gRPC method '{method}' must be a path like /package.Service/Method.", nameof(method));
        }
    }

    private static SocketsHttpHandler CreateDefaultHandler() => new()
    {
        // Long-lived streams must not starve unary calls of HTTP/2 stream slots.
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
        KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
    };

    private async IAsyncEnumerable<TResponse> ReadStreamAsync<TRequest, TResponse>(
        string method,
        TRequest request,
        MessageParser<TResponse> parser,
        GrpcCallOptions? options,
        CancellationToken cancellationToken,
        [EnumeratorCancellation] CancellationToken enumeratorToken)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        using var callerSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, enumeratorToken);
        using var call = new GrpcClientCall(this, method, options, callerSource.Token);
        await call.StartAsync(request).ConfigureAwait(false);
        while (await call.ReadNextAsync(parser).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }
}
