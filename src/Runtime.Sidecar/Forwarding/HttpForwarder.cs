using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// The default <see cref="IHttpForwarder"/> on <see cref="SocketsHttpHandler"/>: bodies are streamed through one
/// pooled buffer per direction, headers are copied once, and failures become a <see cref="ForwardResult"/>.
/// </summary>
/// <remarks>
/// The forwarder lifts Kestrel's per-request body limit (<see cref="IHttpMaxRequestBodySizeFeature"/>) for the
/// requests it forwards; the hosting listener must not re-impose one on proxied paths (no request-size-limit
/// middleware or attributes in front of it), or large uploads are answered with 413 before they reach here. It also
/// lifts Kestrel's minimum request body data rate, which would otherwise abort quiet streaming clients after ~5 s.
/// <para>Known limitations:</para>
/// <list type="bullet">
/// <item>Full duplex (response streaming while the request body is still open) is supported with an HTTP/2
/// upstream. With an HTTP/1.1 upstream SocketsHttpHandler is half duplex in practice: an echo that needs the response
/// before the request body ends stalled in the stack prototypes (not re-tested here); bidirectional streams need an
/// HTTP/2 upstream.</item>
/// <item>Response trailers are relayed only to HTTP/2 and HTTP/3 clients; request trailers are not forwarded.</item>
/// <item>Headers named by a request's <c>Connection</c> header are not removed when the request came through Kestrel:
/// Kestrel keeps only the tokens it knows in the value the application sees. Response-side nominations are honoured.</item>
/// <item>HTTP/2 extended CONNECT (WebSockets over HTTP/2) is refused with a 501 result; HTTP/1.1 Upgrade works.</item>
/// </list>
/// </remarks>
internal sealed partial class HttpForwarder : IHttpForwarder, IDisposable
{
    private readonly ILogger<HttpForwarder> _logger;
    private readonly HttpMessageInvoker _defaultClient;
    private readonly bool _ownsDefaultClient;

    /// <summary>Creates a forwarder with its own shared client built from default <see cref="ForwarderClientOptions"/>.</summary>
    public HttpForwarder(ILogger<HttpForwarder> logger)
        : this(logger, ForwarderClientFactory.Create(new ForwarderClientOptions()), ownsDefaultClient: true)
    {
    }

    /// <summary>Creates a forwarder whose default client is <paramref name="defaultClient"/> (not disposed by the forwarder).</summary>
    public HttpForwarder(ILogger<HttpForwarder> logger, HttpMessageInvoker defaultClient)
        : this(logger, defaultClient, ownsDefaultClient: false)
    {
    }

    private HttpForwarder(ILogger<HttpForwarder> logger, HttpMessageInvoker defaultClient, bool ownsDefaultClient)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(defaultClient);
        _logger = logger;
        _defaultClient = defaultClient;
        _ownsDefaultClient = ownsDefaultClient;
    }

    /// <inheritdoc />
    public async ValueTask<ForwardResult> ForwardAsync(HttpContext context, ForwardRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);

        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true })
        {
            return Failed(context, request, ForwardOutcome.UpstreamReset, new NotSupportedException("HTTP/2 extended CONNECT (RFC 8441) is not forwarded."), "extended CONNECT not supported", StatusCodes.Status501NotImplemented);
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        // Only WebSocket is tunnelled, as in Envoy/Istio: any other Upgrade (h2c above all) would open a raw
        // tunnel whose later requests bypass routing and policy. Those requests go on as plain requests.
        var isUpgrade = upgrade is { IsUpgradableRequest: true } && HopByHopHeaders.IsWebSocketUpgrade(context.Request.Headers.Upgrade);
        if (!isUpgrade)
        {
            LiftRequestBodyLimits(context);
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, cancellationToken);
        if (request.Timeout is { } timeout)
        {
            // A deadline already past times out at once: CancelAfter reads -1 ms as "never" and throws below it.
            cancellation.CancelAfter(timeout > TimeSpan.Zero ? timeout : TimeSpan.Zero);
        }

        var message = CreateRequestMessage(context, request, isUpgrade, cancellation.Token, out var content);
        HttpResponseMessage? response = null;
        try
        {
            try
            {
                response = await (request.Client ?? _defaultClient).SendAsync(message, cancellation.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
            {
                var outcome = Classify(ex, context, cancellation, content, cancellationToken);
                return Failed(context, request, outcome, ex, "no response from upstream");
            }

            if (isUpgrade && response.StatusCode == HttpStatusCode.SwitchingProtocols)
            {
                return await RelayUpgradeAsync(context, upgrade!, request, response, cancellation).ConfigureAwait(false);
            }

            return await RelayResponseAsync(context, request, response, content, cancellation, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (content is not null)
            {
                // The upstream may answer before reading the whole body; never touch the downstream body after returning.
                await content.StopAsync().ConfigureAwait(false);
            }

            if (!isUpgrade)
            {
                TransferredBodyBytes.Of(context).NoteRequest(content?.BytesCopied ?? 0); // wire byte counts for the request metrics (issue 6)
            }

            response?.Dispose();
            message.Dispose();
        }
    }

    /// <summary>Disposes the default client if this forwarder created it.</summary>
    public void Dispose()
    {
        if (_ownsDefaultClient)
        {
            _defaultClient.Dispose();
        }
    }

    private static void LiftRequestBodyLimits(HttpContext context)
    {
        // A proxy must not cap bodies by default (Kestrel answers 413 above 30 MB); it is read-only once reading started.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        // Kestrel aborts a request whose body arrives slower than 240 B/s after 5 s; a streaming (gRPC) client may
        // legitimately stay silent for minutes. The upstream applies its own limits.
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
    }

    private static ForwardOutcome Classify(
        Exception error, HttpContext context, CancellationTokenSource cancellation, StreamingRequestContent? content, CancellationToken callerToken)
    {
        if (content?.DownstreamError is not null)
        {
            return ForwardOutcome.RequestBodyFailed;
        }

        if (context.RequestAborted.IsCancellationRequested || callerToken.IsCancellationRequested)
        {
            return ForwardOutcome.Canceled;
        }

        if (cancellation.IsCancellationRequested)
        {
            // Only the timeout (or a failed flush, which already aborted the exchange) cancels our own source.
            return ForwardOutcome.UpstreamTimeout;
        }

        return error switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } => ForwardOutcome.ConnectFailure,
            OperationCanceledException { InnerException: TimeoutException } => ForwardOutcome.ConnectFailure,
            _ => ForwardOutcome.UpstreamReset,
        };
    }

    private ForwardResult Failed(HttpContext context, ForwardRequest request, ForwardOutcome outcome, Exception? error, string detail, int? statusCode = null)
    {
        var started = context.Response.HasStarted;
        if (started)
        {
            // Headers (and maybe part of the body) are out: abort so the client sees a broken response, not a short one.
            context.Abort();
        }
        else
        {
            // Drop the copied upstream status and headers so the caller can write its own error response.
            context.Response.Clear();
        }

        if (outcome is ForwardOutcome.Canceled or ForwardOutcome.RequestBodyFailed)
        {
            Log.ClientSideFailure(_logger, request.Destination, outcome, detail, started, error);
        }
        else
        {
            Log.UpstreamFailure(_logger, request.Destination, outcome, detail, started, error);
        }

        var status = started ? context.Response.StatusCode : statusCode ?? ForwardResult.StatusFor(outcome);
        return new ForwardResult(outcome, status, error, detail) { ResponseStarted = started };
    }
}
