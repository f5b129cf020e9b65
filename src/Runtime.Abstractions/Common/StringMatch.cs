namespace Runtime.Abstractions.Common;

/// <summary>Matches a string exactly, by prefix or by RE2 regex; exactly one of the three must be set.</summary>
public sealed record StringMatch
{
    /// <summary>The value must equal this string.</summary>
    public string? Exact { get; init; }

    /// <summary>The value must start with this string.</summary>
    public string? Prefix { get; init; }

    /// <summary>The value must fully match this RE2 regular expression.</summary>
    public string? Regex { get; init; }
}
