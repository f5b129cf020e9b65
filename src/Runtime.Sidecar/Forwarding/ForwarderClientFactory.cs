using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// Creates the pooled upstream clients the forwarder sends through. A client is meant to be long-lived and shared
/// by all requests to a cluster; it is safe for concurrent use.
/// </summary>
internal static class ForwarderClientFactory
{
    /// <summary>
    /// The request option that makes a new connection TLS: the connect callback authenticates with the options it
    /// returns for the request's HTTP version before HTTP runs over the stream. The request is sent on the
    /// connection pool of its <see cref="UpstreamTls.Partition"/> only (see <see cref="TlsPartitionedHandler"/>).
    /// </summary>
    public static readonly HttpRequestOptionsKey<UpstreamTls> TlsOption = new("runtime.forwarder.tls");

    // A TLS pool partition left unused this long may be dropped when the idle timeout is infinite.
    private static readonly TimeSpan RetireUnusedPartitionAfter = TimeSpan.FromHours(1);

    /// <summary>
    /// Creates a client that forwards faithfully: no cookies, redirects, decompression or proxy, no added
    /// <c>traceparent</c> headers, pooled HTTP/1.1 connections and as many HTTP/2 connections as streams need.
    /// Connections are pooled separately per originated TLS settings (<see cref="TlsPartitionedHandler"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static HttpMessageInvoker Create(ForwarderClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var retireAfter = options.PooledConnectionIdleTimeout == Timeout.InfiniteTimeSpan ? RetireUnusedPartitionAfter : options.PooledConnectionIdleTimeout;
        var partitioned = new TlsPartitionedHandler(() => CreateHandler(options), retireAfter, options.Time);
        return new HttpMessageInvoker(partitioned, disposeHandler: true);
    }

    private static SocketsHttpHandler CreateHandler(ForwarderClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ActivityHeadersPropagator = null,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = options.PooledConnectionIdleTimeout,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            MaxResponseHeadersLength = options.MaxResponseHeadersLengthKilobytes,
        };

        if (options.Tls is not null)
        {
            handler.SslOptions = options.Tls;
        }

        var connect = options.ConnectCallback ?? ConnectTcpAsync;
        handler.ConnectCallback = (context, cancellationToken) => ConnectAsync(connect, context, cancellationToken);
        return handler;
    }

    private static async ValueTask<Stream> ConnectAsync(
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> connect, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var stream = await connect(context, cancellationToken).ConfigureAwait(false);
        if (!context.InitialRequestMessage.Options.TryGetValue(TlsOption, out var tls))
        {
            return stream;
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            var options = tls.OptionsFor(context.InitialRequestMessage.Version);
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask<Stream> ConnectTcpAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void Validate(ForwarderClientOptions options)
    {
        var errors = new List<string>();
        if (options.ConnectTimeout <= TimeSpan.Zero && options.ConnectTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"ConnectTimeout must be positive (was {options.ConnectTimeout}).");
        }

        if (options.PooledConnectionIdleTimeout < TimeSpan.Zero && options.PooledConnectionIdleTimeout != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"PooledConnectionIdleTimeout must be zero, positive or infinite (was {options.PooledConnectionIdleTimeout}).");
        }

        if (options.PooledConnectionLifetime < TimeSpan.Zero && options.PooledConnectionLifetime != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"PooledConnectionLifetime must be zero, positive or infinite (was {options.PooledConnectionLifetime}).");
        }

        if (options.MaxConnectionsPerServer < 1)
        {
            errors.Add($"MaxConnectionsPerServer must be at least 1 (was {options.MaxConnectionsPerServer}).");
        }

        if (options.MaxResponseHeadersLengthKilobytes < 1)
        {
            errors.Add($"MaxResponseHeadersLengthKilobytes must be at least 1 (was {options.MaxResponseHeadersLengthKilobytes}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid forwarder client options: " + string.Join(" ", errors), nameof(options));
        }
    }
}
