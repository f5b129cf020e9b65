using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.LoadBalancing;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// What every try of one request shares: the header edits the route asks for, the retry bookkeeping (retries
/// made, endpoints tried) and the kept request body. One object per request serves as the header-edit closure
/// and the forwarder's <see cref="IUpstreamResponseCheck"/>, so retries add no allocation to a request that
/// needs none.
/// </summary>
internal sealed class AttemptContext : IUpstreamResponseCheck, IDisposable
{
    /// <summary>The request header naming response headers that make <c>retriable-headers</c> retry (Envoy's).</summary>
    public const string RetriableHeaderNamesHeader = "x-envoy-retriable-header-names";

    private readonly RouteActions _actions;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _corsHeaders;
    private readonly AffinityCookie? _cookie;
    private readonly HttpContext _context;
    private readonly string? _retriableHeaderNames;
    private readonly bool _retriable;
    private readonly ClusterResilience? _resilience;
    private readonly bool _upgradedFromHttp1;
    private CircuitBreakerRetryLease _retryLease;
    private List<MeshEndpoint>? _tried;
    private string? _requestId;

    /// <summary>
    /// This workload's metadata-exchange header value, sent on every try (issue 6); null when the destination is not a
    /// mesh sidecar. Either way a value the app set is never passed on.
    /// </summary>
    public string? PeerMetadata { get; init; }

    /// <summary>
    /// Creates the context of a request on a route with <paramref name="actions"/>. The request is retriable when the
    /// policy allows retries and its body, if any, can be kept: a Content-Length above <see cref="RetryBodyBuffer.Limit"/>
    /// makes it not retriable; any other body is wrapped (<see cref="HttpRequest.Body"/> is replaced until disposal).
    /// </summary>
    /// <param name="context">The downstream request.</param>
    /// <param name="actions">The route's actions.</param>
    /// <param name="corsHeaders">CORS response headers to add.</param>
    /// <param name="cookie">An affinity cookie to set, or null.</param>
    /// <param name="resilience">The cluster's circuit breakers, asked for the retry budget before each retry; null for none.</param>
    /// <param name="upgradedFromHttp1">Whether tries go upstream as h2c for an HTTP/1.x caller (h2UpgradePolicy UPGRADE).</param>
    public AttemptContext(
        HttpContext context,
        RouteActions actions,
        IReadOnlyList<KeyValuePair<string, string>> corsHeaders,
        AffinityCookie? cookie,
        ClusterResilience? resilience = null,
        bool upgradedFromHttp1 = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(actions);
        _context = context;
        _actions = actions;
        _corsHeaders = corsHeaders;
        _cookie = cookie;
        _resilience = resilience;
        _upgradedFromHttp1 = upgradedFromHttp1;
        var policy = actions.RetryPolicy;
        if (policy.MaxRetries == 0)
        {
            return;
        }

        var request = context.Request;
        if ((policy.Conditions & RetryConditions.RetriableHeaders) != 0 && request.Headers.TryGetValue(RetriableHeaderNamesHeader, out var names))
        {
            _retriableHeaderNames = names.ToString();
        }

        if (HasBody(context))
        {
            if (request.ContentLength > RetryBodyBuffer.Limit)
            {
                return;
            }

            Body = new RetryBodyBuffer(request.Body);
            request.Body = Body;
        }

        _retriable = true;
    }

    /// <summary>The route's retry policy.</summary>
    public RetryPolicy Policy => _actions.RetryPolicy;

    /// <summary>The kept request body, or null when the request has none or is not retriable.</summary>
    public RetryBodyBuffer? Body { get; }

    /// <summary>How many retries were sent so far.</summary>
    public int Retries { get; private set; }

    /// <summary>The check the forwarder should run on each response: this, or null when no response can be retried.</summary>
    public IUpstreamResponseCheck? RetryCheck => _retriable && (Policy.RetriesResponses || Body is not null) ? this : null;

    /// <summary>
    /// Whether one more retry may be sent: the request is retriable, retries remain, the body can be sent again, and
    /// the cluster's retry budget (<c>connectionPool.http.maxRetries</c>) admits it. Asked once per retry decision,
    /// whatever triggered it; a true answer holds a place in the budget until the next decision or disposal. When the
    /// budget refuses, the try's own outcome stands (as Envoy: the retry overflow is counted, not answered).
    /// </summary>
    public bool CanRetry()
    {
        if (!_retriable || Retries >= Policy.MaxRetries || Body?.CanReplay == false)
        {
            return false;
        }

        _retryLease.Dispose();
        _retryLease = default;
        return _resilience is null || _resilience.TryEnterRetry(out _retryLease, out _);
    }

    /// <inheritdoc />
    public bool ShouldRetry(HttpResponseMessage response)
    {
        if (Policy.RetriesResponses && Policy.IsRetriable(response, _retriableHeaderNames) && CanRetry())
        {
            return true;
        }

        // This response is relayed, so no try follows: stop keeping the body (a stream may go on for hours).
        Body?.StopKeeping();
        return false;
    }

    /// <summary>Whether a try that failed with <paramref name="failure"/> may be retried.</summary>
    public bool ShouldRetry(AttemptFailure failure) => failure != AttemptFailure.None && Policy.IsRetriable(failure) && CanRetry();

    /// <summary>Counts a retry about to be sent after a try on <paramref name="previous"/>, and rewinds the body.</summary>
    public void BeginRetry(MeshEndpoint previous)
    {
        Retries++;
        (_tried ??= []).Add(previous);
        Body?.Rewind();
    }

    /// <summary>Whether <paramref name="endpoint"/> was already tried for this request.</summary>
    public bool WasTried(MeshEndpoint endpoint) => _tried is not null && _tried.Contains(endpoint);

    /// <summary>The route's request header edits, for each try (<see cref="ForwardRequest.RequestHeaders"/>).</summary>
    public void EditRequestHeaders(HeaderEditor editor)
    {
        if (editor.Get(RequestHeaderOps.RequestIdHeader).Count == 0)
        {
            // One id for every try, as Envoy: a retry is the same request in traces and logs.
            _requestId ??= Guid.NewGuid().ToString();
            editor.Set(RequestHeaderOps.RequestIdHeader, _requestId);
        }

        RequestHeaderOps.Apply(editor, _actions.RequestHeaders);
        // Metadata exchange (issue 6): only this sidecar speaks for its workload.
        if (PeerMetadata is { } metadata)
        {
            editor.Set(Metrics.PeerMetadata.HeaderName, metadata);
        }
        else
        {
            editor.Remove(Metrics.PeerMetadata.HeaderName);
        }

        if (_upgradedFromHttp1)
        {
            // Tells the peer sidecar to hand the request to its app as HTTP/1.1, the protocol the caller spoke.
            editor.Set(MeshHeaders.UpgradedFromHttp1, "1");
        }
        else
        {
            // Only this sidecar may say so: an app that sets the marker would make the peer hand an HTTP/2 request
            // (gRPC) to its app as HTTP/1.1.
            editor.Remove(MeshHeaders.UpgradedFromHttp1);
        }
    }

    /// <summary>The route's response header edits, CORS headers and affinity cookie (<see cref="ForwardRequest.ResponseHeaders"/>).</summary>
    public void EditResponseHeaders(HeaderEditor editor)
    {
        RequestHeaderOps.Apply(editor, _actions.ResponseHeaders);
        foreach (var (name, value) in _corsHeaders)
        {
            editor.Set(name, value);
        }

        if (_cookie is not null)
        {
            editor.Add(HeaderNames.SetCookie, OutboundProxy.FormatCookie(_cookie));
        }
    }

    /// <summary>Releases the retry budget held, puts the original request body back and returns the kept bytes to the pool.</summary>
    public void Dispose()
    {
        _retryLease.Dispose();
        _retryLease = default;
        if (Body is not null)
        {
            _context.Request.Body = Body.Inner;
            Body.Dispose();
        }
    }

    private static bool HasBody(HttpContext context) =>
        context.Request.ContentLength != 0
        && (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
            ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0));
}
