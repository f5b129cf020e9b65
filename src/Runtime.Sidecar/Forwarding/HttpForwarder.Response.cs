using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Runtime.Sidecar.Forwarding;

/// <summary>Relaying the upstream response: status, headers, streamed body and trailers.</summary>
internal sealed partial class HttpForwarder
{
    private async ValueTask<ForwardResult> RelayResponseAsync(
        HttpContext context,
        ForwardRequest request,
        HttpResponseMessage response,
        StreamingRequestContent? content,
        CancellationTokenSource cancellation,
        CancellationToken callerToken)
    {
        if (request.RetryCheck is { } check && check.ShouldRetry(response))
        {
            // Nothing was sent downstream yet: the caller retries; disposing the response releases the upstream stream.
            return new ForwardResult(ForwardOutcome.RetriableResponse, (int)response.StatusCode, null, "upstream response claimed for a retry");
        }

        if (!TryCopyResponseHead(context, request, response, isUpgrade: false, out var headError))
        {
            return Failed(context, request, ForwardOutcome.UpstreamReset, headError, "invalid upstream response headers");
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        Stream upstream;
        try
        {
            upstream = await response.Content.ReadAsStreamAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return Failed(context, request, Classify(ex, context, cancellation, content, callerToken), ex, "upstream response body unavailable");
        }

        // flushFirst: send the headers as soon as the upstream pauses, so streaming clients see the response start.
        var (result, error, written) = await StreamCopier.CopyAsync(upstream, context.Response.Body, flushFirst: true, cancellation).ConfigureAwait(false);
        TransferredBodyBytes.Of(context).NoteResponse(written); // wire byte counts for the request metrics (issue 6)
        switch (result)
        {
            case StreamCopyResult.Completed:
                CopyTrailers(context, response);
                return new ForwardResult(ForwardOutcome.Success, context.Response.StatusCode, null, null) { ResponseStarted = context.Response.HasStarted };
            case StreamCopyResult.DestinationFailed:
                var downstreamOutcome = context.RequestAborted.IsCancellationRequested ? ForwardOutcome.Canceled : ForwardOutcome.ResponseBodyFailed;
                return Failed(context, request, downstreamOutcome, error, "writing the response downstream failed");
            default:
                // SourceFailed or Canceled: the upstream broke, timed out, or the client/caller gave up.
                return Failed(context, request, Classify(error!, context, cancellation, content, callerToken), error, "upstream response body interrupted");
        }
    }

    private static bool TryCopyResponseHead(HttpContext context, ForwardRequest request, HttpResponseMessage response, bool isUpgrade, out Exception? error)
    {
        var downstream = context.Response;
        try
        {
            downstream.StatusCode = (int)response.StatusCode;
            var headers = downstream.Headers;
            var nominated = response.Headers.NonValidated.TryGetValues("Connection", out var connection)
                ? HopByHopHeaders.NominatedBy(HeaderValues.ToStringValues(connection))
                : null;
            CopyResponseHeaders(response.Headers.NonValidated, headers, nominated, isUpgrade);
            CopyResponseHeaders(response.Content.Headers.NonValidated, headers, nominated, isUpgrade: false);
            request.ResponseHeaders?.Invoke(new ResponseHeaderEditor(headers));
            error = null;
            return true;
        }
        catch (InvalidOperationException ex)
        {
            // Kestrel refuses header values it cannot send (control characters, non-ASCII).
            error = ex;
            return false;
        }
    }

    private static void CopyResponseHeaders(HttpHeadersNonValidated source, IHeaderDictionary destination, List<string>? nominated, bool isUpgrade)
    {
        foreach (var (name, values) in source)
        {
            if (HopByHopHeaders.IsHopByHop(name))
            {
                if (isUpgrade && string.Equals(name, "Upgrade", StringComparison.OrdinalIgnoreCase))
                {
                    destination[name] = HeaderValues.ToStringValues(values);
                }

                continue;
            }

            if (!HopByHopHeaders.IsNominated(nominated, name))
            {
                destination[name] = HeaderValues.ToStringValues(values);
            }
        }
    }

    private static void CopyTrailers(HttpContext context, HttpResponseMessage response)
    {
        // Kestrel sends trailers on HTTP/2 and HTTP/3 only; checking first also avoids allocating TrailingHeaders.
        var protocol = context.Request.Protocol;
        if (!HttpProtocol.IsHttp2(protocol) && !HttpProtocol.IsHttp3(protocol))
        {
            return;
        }

        if (context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is not { IsReadOnly: false } trailers)
        {
            return;
        }

        foreach (var (name, values) in response.TrailingHeaders.NonValidated)
        {
            if (!HopByHopHeaders.IsHopByHop(name))
            {
                trailers[name] = HeaderValues.ToStringValues(values);
            }
        }
    }
}
