namespace Runtime.Abstractions.Http;

/// <summary>
/// The outcome of <see cref="CanonicalPath.Normalize"/>: the canonical path and the raw query, or why the request
/// target is refused (answered 400).
/// </summary>
/// <param name="Path">The canonical path: percent-encoded where it must be, so it is matched and forwarded as is.</param>
/// <param name="Query">The query exactly as sent, without <c>?</c>; empty when absent. Never used for path matching.</param>
/// <param name="Problem">Why the target is refused, naming what and where; null when it is accepted.</param>
public readonly record struct CanonicalPathResult(string Path, string Query, string? Problem)
{
    /// <summary>True when the target was accepted.</summary>
    public bool IsValid => Problem is null;

    /// <summary>The path and query to send upstream: the canonical path plus the original query.</summary>
    public string PathAndQuery => Query.Length == 0 ? Path : string.Concat(Path, "?", Query);

    /// <summary>A refused target.</summary>
    public static CanonicalPathResult Refused(string problem) => new("", "", problem);
}
