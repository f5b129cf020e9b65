using System.Globalization;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// A route's CORS policy, compiled, with the evaluation Envoy's CORS filter performs. The proxy only decides which
/// headers to send; enforcing methods and headers is the browser's job, so a preflight from an allowed origin is
/// answered with the configured lists whatever method it asks for (as Envoy does). A preflight from an origin
/// that is not allowed is forwarded upstream (Istio's default <c>unmatchedPreflights: FORWARD</c>) or answered
/// without CORS headers (<c>IGNORE</c>).
/// </summary>
internal sealed class CorsRules
{
    private readonly StringMatcher[] _origins;
    private readonly bool _anyOrigin;
    private readonly string? _methods;
    private readonly string? _headers;
    private readonly string? _expose;
    private readonly string? _maxAge;
    private readonly bool _credentials;
    private readonly bool _ignoreUnmatchedPreflights;

    private CorsRules(CorsPolicy policy, StringMatcher[] origins)
    {
        Policy = policy;
        _origins = origins;
        _anyOrigin = origins.Any(o => o.Kind == StringMatchKind.Exact && o.Value == "*");
        _methods = Join(policy.AllowMethods);
        _headers = Join(policy.AllowHeaders);
        _expose = Join(policy.ExposeHeaders);
        _maxAge = policy.MaxAge is { } age ? ((long)age.Value.TotalSeconds).ToString(CultureInfo.InvariantCulture) : null;
        _credentials = policy.AllowCredentials == true;
        _ignoreUnmatchedPreflights = policy.UnmatchedPreflights == UnmatchedPreflights.Ignore;
    }

    /// <summary>The policy as configured.</summary>
    public CorsPolicy Policy { get; }

    /// <summary>Compiles a policy; origin regexes that do not compile are reported and skipped.</summary>
    public static CorsRules Compile(CorsPolicy policy, TimeSpan regexTimeout, Action<string> reportError)
    {
        var origins = new List<StringMatcher>();
        foreach (var match in policy.AllowOrigins ?? [])
        {
            if (StringMatcher.Compile(match, ignoreCase: false, regexTimeout, out var error) is { Kind: not StringMatchKind.Present } matcher)
            {
                origins.Add(matcher);
            }
            else if (error is not null)
            {
                reportError(error);
            }
        }

        // The deprecated allowOrigin list holds exact origins.
        foreach (var exact in policy.AllowOrigin ?? [])
        {
            origins.Add(StringMatcher.Compile(new() { Exact = exact }, false, regexTimeout, out _)!);
        }

        return new CorsRules(policy, [.. origins]);
    }

    /// <summary>Evaluates a request against the policy.</summary>
    public CorsVerdict Evaluate(in RequestView request)
    {
        var origin = request.Headers("origin");
        if (string.IsNullOrEmpty(origin))
        {
            return CorsVerdict.NotCors;
        }

        var preflight = string.Equals(request.Method, "OPTIONS", StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrEmpty(request.Headers("access-control-request-method"));
        var allowed = _anyOrigin || Array.Exists(_origins, o => o.Matches(origin));
        if (!allowed)
        {
            return preflight && _ignoreUnmatchedPreflights ? new CorsVerdict(CorsOutcome.AnswerPreflight, []) : CorsVerdict.ForwardWithoutHeaders;
        }

        var headers = new List<KeyValuePair<string, string>> { new("access-control-allow-origin", origin) };
        if (_credentials)
        {
            headers.Add(new("access-control-allow-credentials", "true"));
        }

        if (!preflight)
        {
            AddIfSet(headers, "access-control-expose-headers", _expose);
            return new CorsVerdict(CorsOutcome.Forward, headers);
        }

        AddIfSet(headers, "access-control-allow-methods", _methods);
        AddIfSet(headers, "access-control-allow-headers", _headers);
        AddIfSet(headers, "access-control-max-age", _maxAge);
        return new CorsVerdict(CorsOutcome.AnswerPreflight, headers);
    }

    private static void AddIfSet(List<KeyValuePair<string, string>> headers, string name, string? value)
    {
        if (value is not null)
        {
            headers.Add(new(name, value));
        }
    }

    private static string? Join(IReadOnlyList<string>? values) => values is { Count: > 0 } ? string.Join(",", values) : null;
}
