using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Proxying;

/// <summary>
/// Sends a copy of a request to a mirror cluster, fire-and-forget: the response is read and dropped, and a
/// failure never affects the real request. As Envoy does, the copy's authority gets a <c>-shadow</c> suffix so
/// the mirror can tell it apart. Requests that can carry a body are not mirrored: copying a streamed body would
/// mean buffering it, which the proxy path never does. The copy goes out with the same TLS origination as a normal
/// request to the mirror's endpoint (auto mTLS towards sidecars, the mirror cluster's DestinationRule <c>tls</c>),
/// on a client that pools connections per TLS settings.
/// </summary>
internal static partial class MirrorSender
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly HttpMessageInvoker Client = ForwarderClientFactory.Create(new ForwarderClientOptions
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    });

    private static readonly HashSet<string> NotCopied = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Proxy-Connection", "Proxy-Authorization", "Content-Length", "Expect",
        Metrics.PeerMetadata.HeaderName, // metadata exchange (issue 6): never an app's value
    };

    /// <summary>Sends the copy in the background; <paramref name="tls"/> originates TLS as for normal requests (null: none configured).</summary>
    public static void Send(HttpContext context, ProxyState state, ClusterKey cluster, RequestView view, string pathAndQuery, TlsOrigination? tls, ILogger logger)
    {
        try
        {
            SendCore(context, state, cluster, view, pathAndQuery, tls, logger);
        }
        catch (Exception ex) when (ex is FormatException or UriFormatException or InvalidOperationException or ArgumentException)
        {
            // A mirror must never affect the real request.
            LogMirrorFailed(logger, cluster.Host, ex.Message);
        }
    }

    private static void SendCore(HttpContext context, ProxyState state, ClusterKey cluster, RequestView view, string pathAndQuery, TlsOrigination? tls, ILogger logger)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            LogSkipped(logger, cluster.Host);
            return;
        }

        var target = state.Routes.GetCluster(cluster);
        if (target.Balancer.Pick(view) is not { } endpoint)
        {
            LogNoEndpoint(logger, cluster.Host);
            return;
        }

        // Concatenated, not resolved: a path such as //other.example/x must stay a path on this endpoint.
        var address = new Uri(OutboundProxy.Destination(endpoint).GetLeftPart(UriPartial.Authority) + pathAndQuery);
        var message = new HttpRequestMessage(new HttpMethod(context.Request.Method), address);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!NotCopied.Contains(name))
            {
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        message.Headers.Host = ShadowAuthority(view.Authority);
        if (tls?.For(state, target, endpoint) is { } upstreamTls)
        {
            message.Options.Set(ForwarderClientFactory.TlsOption, upstreamTls);
        }

        _ = SendAsync(message, cluster.Host, logger);
    }

    /// <summary><c>reviews:9080</c> becomes <c>reviews-shadow:9080</c>.</summary>
    public static string ShadowAuthority(string authority)
    {
        var colon = authority.LastIndexOf(':');
        return colon > 0 && !authority.EndsWith(']') ? authority[..colon] + "-shadow" + authority[colon..] : authority + "-shadow";
    }

    private static async Task SendAsync(HttpRequestMessage message, string host, ILogger logger)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            using (message)
            using (var response = await Client.SendAsync(message, timeout.Token).ConfigureAwait(false))
            {
                LogMirrored(logger, host, (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            LogMirrorFailed(logger, host, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mirror to {Host} skipped: the request has a body")]
    private static partial void LogSkipped(ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mirror to {Host} skipped: no healthy endpoint")]
    private static partial void LogNoEndpoint(ILogger logger, string host);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mirrored to {Host}: {Status}")]
    private static partial void LogMirrored(ILogger logger, string host, int status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Mirror to {Host} failed: {Reason}")]
    private static partial void LogMirrorFailed(ILogger logger, string host, string reason);
}
