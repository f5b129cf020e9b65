using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// The retry bookkeeping of one request: how many retries were made, which endpoints were tried, and the kept
/// request body. Created only for requests that can be retried; the forwarder asks it about each response.
/// </summary>
internal sealed class RetryState : IUpstreamResponseCheck, IDisposable
{
    /// <summary>The request header naming response headers that make <c>retriable-headers</c> retry (Envoy's).</summary>
    public const string RetriableHeaderNamesHeader = "x-envoy-retriable-header-names";

    private readonly string? _retriableHeaderNames;
    private readonly Stream? _originalBody;
    private readonly HttpContext? _context;
    private List<MeshEndpoint>? _tried;

    private RetryState(RetryPolicy policy, string? retriableHeaderNames, RetryBodyBuffer? body, HttpContext? context)
    {
        Policy = policy;
        _retriableHeaderNames = retriableHeaderNames;
        Body = body;
        _context = context;
        _originalBody = body?.Inner;
    }

    /// <summary>The route's policy.</summary>
    public RetryPolicy Policy { get; }

    /// <summary>The kept request body, or null when the request has none.</summary>
    public RetryBodyBuffer? Body { get; }

    /// <summary>How many retries were sent so far.</summary>
    public int Retries { get; private set; }

    /// <summary>
    /// The retry state for a request on a route with <paramref name="policy"/>, or null when the request cannot be
    /// retried: the policy allows no retries, or the body's Content-Length exceeds <see cref="RetryBodyBuffer.Limit"/>.
    /// A body that may be replayed is wrapped (<see cref="HttpRequest.Body"/> is replaced until disposal).
    /// </summary>
    public static RetryState? Create(HttpContext context, RetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxRetries == 0)
        {
            return null;
        }

        var request = context.Request;
        var names = (policy.Conditions & RetryConditions.RetriableHeaders) != 0 && request.Headers.TryGetValue(RetriableHeaderNamesHeader, out var value)
            ? value.ToString()
            : null;
        if (!HasBody(context))
        {
            return new RetryState(policy, names, null, null);
        }

        if (request.ContentLength > RetryBodyBuffer.Limit)
        {
            return null;
        }

        var body = new RetryBodyBuffer(request.Body);
        request.Body = body;
        return new RetryState(policy, names, body, context);
    }

    /// <summary>Whether one more retry may be sent: retries remain and the body, if any, can be sent again.</summary>
    public bool CanRetry()
    {
        // Retry budget: the cluster's circuit breaker (DestinationRule connectionPool.http.maxRetries) is asked here,
        // before every retry, whatever triggered it.
        return Retries < Policy.MaxRetries && Body?.CanReplay != false;
    }

    /// <inheritdoc />
    public bool ShouldRetry(HttpResponseMessage response) => Policy.IsRetriable(response, _retriableHeaderNames) && CanRetry();

    /// <summary>Counts a retry about to be sent after a try on <paramref name="previous"/>, and rewinds the body.</summary>
    public void BeginRetry(MeshEndpoint previous)
    {
        Retries++;
        (_tried ??= []).Add(previous);
        Body?.Rewind();
    }

    /// <summary>Whether <paramref name="endpoint"/> was already tried for this request.</summary>
    public bool WasTried(MeshEndpoint endpoint) => _tried is not null && _tried.Contains(endpoint);

    /// <summary>Puts the original request body back and returns the kept bytes to the pool.</summary>
    public void Dispose()
    {
        if (Body is not null)
        {
            _context!.Request.Body = _originalBody!;
            Body.Dispose();
        }
    }

    private static bool HasBody(HttpContext context) =>
        context.Request.ContentLength != 0
        && (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
            ?? (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0));
}
