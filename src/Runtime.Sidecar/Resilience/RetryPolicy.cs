using System.Globalization;
using System.Net.Http.Headers;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// A route's retry policy, compiled once at route-table build time from Istio's <c>retries</c> (or Istio's default
/// when it is absent), so the hot path tests flags and never parses text.
/// </summary>
/// <remarks>
/// <para>Istio's semantics: <c>attempts</c> is the number of retries after the first try (Envoy's <c>num_retries</c>);
/// absent or 0 disables retries. Without <c>retries</c> Istio's default applies: 2 retries on
/// <c>connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes</c> with 503 as the retriable
/// status. Numeric words of <c>retryOn</c> (<c>503</c>) are retriable statuses and imply
/// <c>retriable-status-codes</c>. <c>retryRemoteLocalities</c> is accepted and has no effect: this sidecar has no
/// locality priorities, so every retry may go to any endpoint anyway.</para>
/// <para>Back-off is Envoy's fully jittered exponential back-off (see <see cref="RetryBackoff"/>), base 25 ms or
/// <c>backoff</c>, capped at ten times the base.</para>
/// </remarks>
internal sealed class RetryPolicy
{
    /// <summary>Envoy's default back-off base interval.</summary>
    public static readonly TimeSpan DefaultBackoffBase = TimeSpan.FromMilliseconds(25);

    private const RetryConditions GrpcConditions = RetryConditions.GrpcCancelled | RetryConditions.GrpcDeadlineExceeded
        | RetryConditions.GrpcResourceExhausted | RetryConditions.GrpcInternal | RetryConditions.GrpcUnavailable;

    private static readonly Dictionary<string, RetryConditions> Words = new(StringComparer.Ordinal)
    {
        ["5xx"] = RetryConditions.FiveXx,
        ["gateway-error"] = RetryConditions.GatewayError,
        ["reset"] = RetryConditions.Reset,
        ["connect-failure"] = RetryConditions.ConnectFailure,
        ["refused-stream"] = RetryConditions.RefusedStream,
        ["retriable-4xx"] = RetryConditions.Retriable4xx,
        ["retriable-status-codes"] = RetryConditions.RetriableStatusCodes,
        ["retriable-headers"] = RetryConditions.RetriableHeaders,
        ["cancelled"] = RetryConditions.GrpcCancelled,
        ["deadline-exceeded"] = RetryConditions.GrpcDeadlineExceeded,
        ["resource-exhausted"] = RetryConditions.GrpcResourceExhausted,
        ["internal"] = RetryConditions.GrpcInternal,
        ["unavailable"] = RetryConditions.GrpcUnavailable,

        // Envoy's "reset before the request was sent": without visibility into the wire, the failures that certainly
        // happened before anything was sent are the connect failure and the refused stream.
        ["reset-before-request"] = RetryConditions.ConnectFailure | RetryConditions.RefusedStream,

        // Conditions that cannot occur here (no Envoy rate-limit filter, no HTTP/3 upstreams): accepted, never true.
        ["envoy-ratelimited"] = RetryConditions.None,
        ["http3-post-connect-failure"] = RetryConditions.None,
    };

    private readonly int[] _statusCodes;

    private RetryPolicy(int maxRetries, RetryConditions conditions, int[] statusCodes, TimeSpan? perTryTimeout, TimeSpan backoffBase, bool avoidPreviousHosts)
    {
        MaxRetries = maxRetries;
        Conditions = conditions;
        _statusCodes = statusCodes;
        PerTryTimeout = perTryTimeout;
        BackoffBase = backoffBase;
        BackoffMax = backoffBase * 10;
        AvoidPreviousHosts = avoidPreviousHosts;
    }

    /// <summary>No retries at all (<c>attempts: 0</c>).</summary>
    public static RetryPolicy Disabled { get; } = new(0, RetryConditions.None, [], null, DefaultBackoffBase, true);

    /// <summary>Istio's policy for routes without <c>retries</c>.</summary>
    public static RetryPolicy IstioDefault { get; } = new(
        2,
        RetryConditions.ConnectFailure | RetryConditions.RefusedStream | RetryConditions.GrpcUnavailable | RetryConditions.GrpcCancelled | RetryConditions.RetriableStatusCodes,
        [503],
        null,
        DefaultBackoffBase,
        true);

    /// <summary>How many retries may follow the first try; 0 means the first try is the only one.</summary>
    public int MaxRetries { get; }

    /// <summary>The parsed <c>retryOn</c>.</summary>
    public RetryConditions Conditions { get; }

    /// <summary>The statuses <c>retriable-status-codes</c> retries.</summary>
    public IReadOnlyList<int> StatusCodes => _statusCodes;

    /// <summary>The timeout of each try, or null for none (the route timeout still bounds the whole request).</summary>
    public TimeSpan? PerTryTimeout { get; }

    /// <summary>The back-off base interval.</summary>
    public TimeSpan BackoffBase { get; }

    /// <summary>The back-off cap: ten times the base, as Envoy.</summary>
    public TimeSpan BackoffMax { get; }

    /// <summary>Whether a retry avoids endpoints already tried (Envoy's previous-hosts predicate; Istio's default).</summary>
    public bool AvoidPreviousHosts { get; }

    /// <summary>Whether any response (status, headers) can trigger a retry, so the forwarder must ask before relaying.</summary>
    public bool RetriesResponses => (Conditions & RetryConditions.AnyResponse & ~RetryConditions.RetriableStatusCodes) != 0
        || ((Conditions & RetryConditions.RetriableStatusCodes) != 0 && _statusCodes.Length > 0);

    /// <summary>
    /// Compiles <paramref name="retries"/> (null: Istio's default). Unknown <c>retryOn</c> words are reported through
    /// <paramref name="warn"/> (field, message, fix) and ignored, as are settings that have no effect here.
    /// </summary>
    public static RetryPolicy Compile(HttpRetry? retries, Action<string, string, string>? warn = null)
    {
        if (retries is null)
        {
            return IstioDefault;
        }

        if (retries.Attempts is not > 0)
        {
            if (retries.Attempts is null && (retries.RetryOn is not null || retries.PerTryTimeout is not null))
            {
                warn?.Invoke("attempts", "retries sets no attempts, so retries are disabled (Istio reads a missing attempts as 0)", "set attempts, for example attempts: 3");
            }

            return Disabled;
        }

        var conditions = IstioDefault.Conditions;
        int[] codes = [.. IstioDefault._statusCodes];
        if (!string.IsNullOrWhiteSpace(retries.RetryOn))
        {
            (conditions, codes) = ParseRetryOn(retries.RetryOn, warn);
        }

        var perTry = retries.PerTryTimeout is { Value: var p } && p > TimeSpan.Zero ? p : (TimeSpan?)null;

        // Envoy rounds a base below 1 ms up to 1 ms (its back-off works in whole milliseconds).
        var backoff = retries.Backoff is { Value: var b } && b > TimeSpan.Zero ? TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling(b.TotalMilliseconds))) : DefaultBackoffBase;
        return new RetryPolicy(retries.Attempts.Value, conditions, codes, perTry, backoff, retries.RetryIgnorePreviousHosts != false);
    }

    /// <summary>Parses a <c>retryOn</c> list: Envoy's words and HTTP status codes (which imply <c>retriable-status-codes</c>).</summary>
    public static (RetryConditions Conditions, int[] StatusCodes) ParseRetryOn(string retryOn, Action<string, string, string>? warn = null)
    {
        ArgumentNullException.ThrowIfNull(retryOn);
        var conditions = RetryConditions.None;
        var codes = new List<int>();
        foreach (var raw in retryOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                if (code is >= 100 and <= 599)
                {
                    codes.Add(code);
                    conditions |= RetryConditions.RetriableStatusCodes;
                }
                else
                {
                    warn?.Invoke("retryOn", $"retryOn status {raw} is not an HTTP status (100 to 599); it is ignored", "use a status such as 503");
                }
            }
            else if (Words.TryGetValue(raw, out var word))
            {
                conditions |= word;
            }
            else
            {
                warn?.Invoke("retryOn", $"retryOn condition '{raw}' is unknown; it is ignored", "use Envoy's words: 5xx, gateway-error, reset, connect-failure, refused-stream, retriable-4xx, retriable-status-codes, retriable-headers, cancelled, deadline-exceeded, internal, resource-exhausted, unavailable, or a status such as 503");
            }
        }

        return (conditions, [.. codes.Distinct()]);
    }

    /// <summary>The words this sidecar maps to conditions (validation accepts <see cref="RetryOnConditions.Words"/>; a test keeps them equal).</summary>
    public static IEnumerable<string> KnownWords => Words.Keys;

    /// <summary>The timeout of the first try: the per-try timeout, bounded by the route timeout.</summary>
    public TimeSpan? FirstTryTimeout(TimeSpan? routeTimeout) =>
        PerTryTimeout is { } perTry && (routeTimeout is null || perTry < routeTimeout) ? perTry : routeTimeout;

    /// <summary>Whether an upstream response (status line and headers) meets a retry condition.</summary>
    /// <param name="response">The upstream response, before anything was relayed.</param>
    /// <param name="retriableHeaderNames">The request's <c>x-envoy-retriable-header-names</c> value, or null.</param>
    public bool IsRetriable(HttpResponseMessage response, string? retriableHeaderNames)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var conditions = Conditions;
        if (((conditions & RetryConditions.FiveXx) != 0 && status >= 500)
            || ((conditions & RetryConditions.GatewayError) != 0 && status is 502 or 503 or 504)
            || ((conditions & RetryConditions.Retriable4xx) != 0 && status == 409)
            || ((conditions & RetryConditions.RetriableStatusCodes) != 0 && Array.IndexOf(_statusCodes, status) >= 0))
        {
            return true;
        }

        if ((conditions & GrpcConditions) != 0 && GrpcCondition(response.Headers) is var grpc && grpc != RetryConditions.None && (conditions & grpc) != 0)
        {
            return true;
        }

        return (conditions & RetryConditions.RetriableHeaders) != 0 && retriableHeaderNames is not null && HasAnyHeader(response, retriableHeaderNames);
    }

    /// <summary>Whether a try that ended without a usable response is retried.</summary>
    public bool IsRetriable(AttemptFailure failure)
    {
        var conditions = Conditions;
        return failure switch
        {
            AttemptFailure.ConnectFailure => (conditions & (RetryConditions.AnyTimeout | RetryConditions.ConnectFailure)) != 0,
            AttemptFailure.RefusedStream => (conditions & (RetryConditions.AnyTimeout | RetryConditions.RefusedStream)) != 0,
            AttemptFailure.Reset or AttemptFailure.PerTryTimeout => (conditions & RetryConditions.AnyTimeout) != 0,
            _ => false,
        };
    }

    private static RetryConditions GrpcCondition(HttpResponseHeaders headers)
    {
        // A trailers-only gRPC response carries grpc-status in its headers; a status in trailers comes after the
        // response started and cannot be retried (as in Envoy).
        if (!headers.NonValidated.TryGetValues("grpc-status", out var values))
        {
            return RetryConditions.None;
        }

        foreach (var value in values)
        {
            return value switch
            {
                "1" => RetryConditions.GrpcCancelled,
                "4" => RetryConditions.GrpcDeadlineExceeded,
                "8" => RetryConditions.GrpcResourceExhausted,
                "13" => RetryConditions.GrpcInternal,
                "14" => RetryConditions.GrpcUnavailable,
                _ => RetryConditions.None,
            };
        }

        return RetryConditions.None;
    }

    private static bool HasAnyHeader(HttpResponseMessage response, string names)
    {
        foreach (var range in names.AsSpan().Split(','))
        {
            var name = names.AsSpan()[range].Trim();
            if (name.Length == 0)
            {
                continue;
            }

            var text = name.ToString();
            if (response.Headers.NonValidated.Contains(text) || response.Content.Headers.NonValidated.Contains(text))
            {
                return true;
            }
        }

        return false;
    }
}
