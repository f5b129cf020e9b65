using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Runtime.Abstractions.Discovery;

namespace Runtime.Sidecar.Tracing;

/// <summary>
/// The span of a sampled request, as a request feature: lets the request metrics, which learn the body sizes as
/// they crossed the wire (chunked and HTTP/2 included) and hand those counts back before the span ends, tag the span
/// with the same <c>request_size</c> and <c>response_size</c>. Only sampled requests carry one.
/// </summary>
internal sealed class RequestSpan(Activity activity, ProxySnapshot? snapshot)
{
    /// <summary>The config the span's collector was picked under: when it changed by the span's end, the exporters
    /// are reconciled again so one re-created for the old config does not stay open.</summary>
    public ProxySnapshot? Snapshot { get; } = snapshot;

    /// <summary>Whether the body sizes were tagged (otherwise the span falls back to the declared lengths).</summary>
    public bool HasSizes { get; private set; }

    /// <summary>Tags the span of the request on <paramref name="context"/>, if it has one, with its body sizes.</summary>
    public static void NoteSizes(HttpContext context, long requestBytes, long responseBytes)
    {
        if (context.Features.Get<RequestSpan>() is { } span)
        {
            span.Activity.SetTag("request_size", requestBytes.ToString(CultureInfo.InvariantCulture));
            span.Activity.SetTag("response_size", responseBytes.ToString(CultureInfo.InvariantCulture));
            span.HasSizes = true;
        }
    }

    /// <summary>The span.</summary>
    public Activity Activity { get; } = activity;
}
