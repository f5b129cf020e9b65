namespace Runtime.Abstractions.Networking;

/// <summary>Rewrites applied before forwarding.</summary>
public sealed record HttpRewrite
{
    /// <summary>Replaces the matched path prefix (or the whole path for exact matches).</summary>
    public string? Uri { get; init; }

    /// <summary>Replaces the authority.</summary>
    public string? Authority { get; init; }

    /// <summary>Rewrites the path with a regex.</summary>
    public RegexRewrite? UriRegexRewrite { get; init; }
}
