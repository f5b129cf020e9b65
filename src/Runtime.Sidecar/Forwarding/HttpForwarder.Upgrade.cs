using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Runtime.Sidecar.Forwarding;

/// <summary>HTTP/1.1 Upgrade (WebSocket): after both sides switch protocols, bytes are pumped opaquely.</summary>
internal sealed partial class HttpForwarder
{
    private async ValueTask<ForwardResult> RelayUpgradeAsync(
        HttpContext context, IHttpUpgradeFeature upgrade, ForwardRequest request, HttpResponseMessage response, CancellationTokenSource cancellation)
    {
        // The route timeout covers the handshake only; an upgraded connection lives as long as both ends want.
        cancellation.CancelAfter(Timeout.InfiniteTimeSpan);

        if (!TryCopyResponseHead(context, request, response, isUpgrade: true, out var headError))
        {
            return Failed(context, request, ForwardOutcome.UpstreamReset, headError, "invalid upstream upgrade response headers");
        }

        Stream upstream;
        try
        {
            // For a 101 response SocketsHttpHandler hands over the raw connection as a read/write stream.
            upstream = await response.Content.ReadAsStreamAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return Failed(context, request, ForwardOutcome.UpstreamReset, ex, "upstream upgraded stream unavailable");
        }

        Stream downstream;
        try
        {
            downstream = await upgrade.UpgradeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            return Failed(context, request, ForwardOutcome.Canceled, ex, "downstream upgrade failed");
        }

        var toUpstream = StreamCopier.CopyAsync(downstream, upstream, flushFirst: false, cancellation).AsTask();
        var toDownstream = StreamCopier.CopyAsync(upstream, downstream, flushFirst: false, cancellation).AsTask();
        var first = await Task.WhenAny(toUpstream, toDownstream).ConfigureAwait(false);

        // Either side closing ends the tunnel: stop the other direction.
        await cancellation.CancelAsync().ConfigureAwait(false);
        var (upResult, upError, _) = await toUpstream.ConfigureAwait(false);
        var (downResult, downError, _) = await toDownstream.ConfigureAwait(false);
        await upstream.DisposeAsync().ConfigureAwait(false);

        var (outcome, error) = first == toUpstream
            ? upResult switch
            {
                StreamCopyResult.Completed => (ForwardOutcome.Success, null),
                StreamCopyResult.DestinationFailed => (ForwardOutcome.UpstreamReset, upError),
                _ => (ForwardOutcome.Canceled, upError),
            }
            : downResult switch
            {
                StreamCopyResult.Completed => (ForwardOutcome.Success, null),
                StreamCopyResult.SourceFailed => (ForwardOutcome.UpstreamReset, downError),
                _ => (ForwardOutcome.Canceled, downError),
            };

        if (outcome == ForwardOutcome.Success)
        {
            return new ForwardResult(ForwardOutcome.Success, StatusCodes.Status101SwitchingProtocols, null, null) { ResponseStarted = true };
        }

        return Failed(context, request, outcome, error, "upgraded connection ended abnormally");
    }
}
