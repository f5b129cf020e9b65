using Microsoft.AspNetCore.Http;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// Copies one downstream request to an upstream and streams the response back. Works on its own:
/// routing, load balancing and retries are layered on top by the caller.
/// </summary>
internal interface IHttpForwarder
{
    /// <summary>
    /// Forwards <paramref name="context"/>'s request to <see cref="ForwardRequest.Destination"/> and streams the
    /// response back. Never throws for upstream or downstream failures; the result says what happened. When the
    /// result reports a failure and <see cref="ForwardResult.ResponseStarted"/> is false, nothing was written and
    /// the caller chooses the error response (see <see cref="ForwardErrorWriter"/>).
    /// </summary>
    ValueTask<ForwardResult> ForwardAsync(HttpContext context, ForwardRequest request, CancellationToken cancellationToken);
}
