namespace Runtime.Abstractions.Security.Authorization;

/// <summary>
/// Istio's string matching for policy values: <c>*</c> (present, any value), prefix <c>abc*</c>, suffix <c>*abc</c>,
/// otherwise exact. A <c>*</c> anywhere else is a literal character, as in Istio.
/// </summary>
internal static class ValueMatch
{
    /// <summary>A predicate for <paramref name="pattern"/>; <paramref name="ignoreCase"/> for hosts.</summary>
    public static Func<string, bool> Compile(string pattern, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (pattern == "*")
        {
            return static _ => true;
        }

        if (pattern.Length > 1 && pattern[0] == '*')
        {
            var suffix = pattern[1..];
            return value => value.EndsWith(suffix, comparison);
        }

        if (pattern.Length > 1 && pattern[^1] == '*')
        {
            var prefix = pattern[..^1];
            return value => value.StartsWith(prefix, comparison);
        }

        return value => string.Equals(value, pattern, comparison);
    }

    /// <summary>One predicate matching when any of <paramref name="patterns"/> does; null when there are none.</summary>
    public static Func<string, bool>? AnyOf(IReadOnlyList<string>? patterns, Func<string, Func<string, bool>> compile)
    {
        if (patterns is not { Count: > 0 })
        {
            return null;
        }

        var compiled = patterns.Select(compile).ToArray();
        if (compiled.Length == 1)
        {
            return compiled[0];
        }

        return value =>
        {
            foreach (var match in compiled)
            {
                if (match(value))
                {
                    return true;
                }
            }

            return false;
        };
    }
}
