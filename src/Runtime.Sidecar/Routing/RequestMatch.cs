namespace Runtime.Sidecar.Routing;

/// <summary>
/// One compiled <c>HTTPMatchRequest</c>: all its conditions must hold (AND). Conditions about the caller
/// (<c>sourceLabels</c>, <c>sourceNamespace</c>, <c>gateways</c>) are settled at build time for this sidecar, so
/// only request conditions remain.
/// </summary>
internal sealed class RequestMatch
{
    /// <summary>The match's <c>name</c>, or null.</summary>
    public string? Name { get; init; }

    /// <summary>The uri condition, or null.</summary>
    public StringMatcher? Uri { get; init; }

    /// <summary>The scheme condition, or null.</summary>
    public StringMatcher? Scheme { get; init; }

    /// <summary>The method condition, or null.</summary>
    public StringMatcher? Method { get; init; }

    /// <summary>The authority condition (against the authority as addressed, port included), or null.</summary>
    public StringMatcher? Authority { get; init; }

    /// <summary>Headers that must match; an empty <c>StringMatch</c> means present.</summary>
    public (string Name, StringMatcher Match)[] Headers { get; init; } = [];

    /// <summary>Headers none of which may match.</summary>
    public (string Name, StringMatcher Match)[] WithoutHeaders { get; init; } = [];

    /// <summary>Query parameters that must match (values percent-decoded first).</summary>
    public (string Name, StringMatcher Match)[] QueryParams { get; init; } = [];

    /// <summary>The port condition, or null.</summary>
    public int? Port { get; init; }

    /// <summary>Whether the request satisfies every condition.</summary>
    public bool Matches(in RequestView request)
    {
        if ((Uri is not null && !Uri.Matches(request.Path))
            || (Scheme is not null && !Scheme.Matches(request.Scheme))
            || (Method is not null && !Method.Matches(request.Method))
            || (Authority is not null && !Authority.Matches(request.Authority))
            || (Port is int port && request.Port != port))
        {
            return false;
        }

        foreach (var (name, match) in Headers)
        {
            if (!match.Matches(request.Headers(name)))
            {
                return false;
            }
        }

        foreach (var (name, match) in WithoutHeaders)
        {
            if (match.Matches(request.Headers(name)))
            {
                return false;
            }
        }

        foreach (var (name, match) in QueryParams)
        {
            if (!QueryString.TryGet(request.Query, name, out var raw) || !match.Matches(QueryString.Decode(raw)))
            {
                return false;
            }
        }

        return true;
    }
}
