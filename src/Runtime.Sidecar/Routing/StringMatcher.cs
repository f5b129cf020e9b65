using System.Text.RegularExpressions;
using Runtime.Abstractions.Common;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// A compiled Istio <c>StringMatch</c>. Regexes follow Envoy's RE2 semantics: the whole value must match (the
/// pattern is anchored as <c>^(?:...)$</c>), and they run on the non-backtracking engine, which, like RE2, is
/// linear-time and has no backreferences or lookarounds. An empty <c>StringMatch</c> (<c>{}</c>) means "present".
/// </summary>
internal sealed class StringMatcher
{
    private readonly string _value;
    private readonly Regex? _regex;
    private readonly StringComparison _comparison;

    private StringMatcher(StringMatchKind kind, string value, Regex? regex, bool ignoreCase)
    {
        Kind = kind;
        _value = value;
        _regex = regex;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
    }

    /// <summary>Which comparison this is.</summary>
    public StringMatchKind Kind { get; }

    /// <summary>The exact value or prefix (empty for regex and presence).</summary>
    public string Value => _value;

    /// <summary>Compiles a match; returns null and an error when the regex does not compile.</summary>
    /// <param name="match">The configured match; null is treated as "present".</param>
    /// <param name="ignoreCase">Case-insensitive exact and prefix comparison (regex is unaffected, as in Istio).</param>
    /// <param name="timeout">Regex match timeout.</param>
    /// <param name="error">Why compilation failed.</param>
    public static StringMatcher? Compile(StringMatch? match, bool ignoreCase, TimeSpan timeout, out string? error)
    {
        error = null;
        if (match?.Exact is { } exact)
        {
            return new StringMatcher(StringMatchKind.Exact, exact, null, ignoreCase);
        }

        if (match?.Prefix is { } prefix)
        {
            return new StringMatcher(StringMatchKind.Prefix, prefix, null, ignoreCase);
        }

        if (match?.Regex is { } pattern)
        {
            var regex = CompileRegex(pattern, anchored: true, timeout, out error);
            return regex is null ? null : new StringMatcher(StringMatchKind.Regex, "", regex, false);
        }

        return new StringMatcher(StringMatchKind.Present, "", null, false);
    }

    /// <summary>Compiles an RE2-style pattern for .NET (translating <c>(?P&lt;name&gt;</c>), optionally anchored.</summary>
    public static Regex? CompileRegex(string pattern, bool anchored, TimeSpan timeout, out string? error)
    {
        error = null;
        var translated = pattern.Replace("(?P<", "(?<", StringComparison.Ordinal);
        try
        {
            return new Regex(anchored ? $"^(?:{translated})$" : translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, timeout);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            error = $"regex '{pattern}' does not compile: {e.Message}";
            return null;
        }
    }

    /// <summary>Whether a present value matches.</summary>
    public bool Matches(ReadOnlySpan<char> value)
    {
        switch (Kind)
        {
            case StringMatchKind.Exact:
                return value.Equals(_value, _comparison);
            case StringMatchKind.Prefix:
                return value.StartsWith(_value, _comparison);
            case StringMatchKind.Regex:
                try
                {
                    return _regex!.IsMatch(value);
                }
                catch (RegexMatchTimeoutException)
                {
                    return false;
                }

            default:
                return true;
        }
    }

    /// <summary>Whether a possibly absent value matches.</summary>
    public bool Matches(string? value) => value is not null && Matches(value.AsSpan());
}
