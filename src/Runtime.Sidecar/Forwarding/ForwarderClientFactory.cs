using System.Net;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// Creates the pooled upstream clients the forwarder sends through. A client is meant to be long-lived and shared
/// by all requests to a cluster; it is safe for concurrent use.
/// </summary>
internal static class ForwarderClientFactory
{
    /// <summary>
    /// Creates a client that forwards faithfully: no cookies, redirects, decompression or proxy, no added
    /// <c>traceparent</c> headers, pooled HTTP/1.1 connections and as many HTTP/2 connections as streams need.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static HttpMessageInvoker Create(ForwarderClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

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

        if (options.ConnectCallback is not null)
        {
            handler.ConnectCallback = options.ConnectCallback;
        }

        return new HttpMessageInvoker(handler, disposeHandler: true);
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
