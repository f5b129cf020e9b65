using Microsoft.AspNetCore.Http;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// Writes the mesh's error response for a failed forward: a status, an <c>x-mesh-reason</c> header carrying an
/// Envoy-style response flag, and a one-line text body. Only when the response has not started.
/// </summary>
internal static class ForwardErrorWriter
{
    /// <summary>The response header naming why the mesh (not the upstream) answered.</summary>
    public const string ReasonHeader = "x-mesh-reason";

    /// <summary>
    /// Writes the error response for <paramref name="result"/>. Returns false, writing nothing, when the response
    /// already started, the forward succeeded, or the client is gone.
    /// </summary>
    public static Task<bool> TryWriteAsync(HttpContext context, ForwardResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsSuccess || result.Outcome == ForwardOutcome.Canceled || context.RequestAborted.IsCancellationRequested)
        {
            return Task.FromResult(false);
        }

        var (reason, text) = result.Outcome switch
        {
            ForwardOutcome.ConnectFailure => ("UF", "upstream connect error"),
            ForwardOutcome.UpstreamTimeout => ("UT", "upstream request timeout"),
            ForwardOutcome.RequestBodyFailed => ("DPE", "downstream request body failed"),
            ForwardOutcome.ResponseBodyFailed => ("DC", "downstream response failed"),
            _ => ("UC", "upstream connection reset before response"),
        };

        var status = result.StatusCode is >= 400 and <= 599 ? result.StatusCode : ForwardResult.StatusFor(result.Outcome);
        return TryWriteAsync(context, status, reason, text, cancellationToken);
    }

    /// <summary>Writes <paramref name="statusCode"/> with <paramref name="reason"/> and a one-line <paramref name="text"/> body, if nothing was sent yet.</summary>
    public static async Task<bool> TryWriteAsync(HttpContext context, int statusCode, string reason, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (response.HasStarted)
        {
            return false;
        }

        response.Clear();
        response.StatusCode = statusCode;
        response.Headers[ReasonHeader] = reason;
        response.ContentType = "text/plain; charset=utf-8";
        var body = text + "\n";
        // Declared, so the request metrics count the mesh's own answers too (issue 6).
        response.ContentLength = System.Text.Encoding.UTF8.GetByteCount(body);
        await response.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
