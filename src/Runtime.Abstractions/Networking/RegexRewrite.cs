namespace Runtime.Abstractions.Networking;

/// <summary>A regex substitution.</summary>
public sealed record RegexRewrite
{
    /// <summary>RE2 pattern.</summary>
    public string? Match { get; init; }

    /// <summary>Replacement, with <c>\1</c> style groups.</summary>
    public string? Rewrite { get; init; }
}
