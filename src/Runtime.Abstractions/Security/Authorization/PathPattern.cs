namespace Runtime.Abstractions.Security.Authorization;

/// <summary>
/// AuthorizationPolicy <c>paths</c>: exact, prefix <c>/api/*</c>, suffix <c>*.png</c>, <c>*</c>, or a path template in
/// which <c>{*}</c> matches exactly one non-empty segment and <c>{**}</c> one or more segments (Istio 1.22+).
/// Paths are compared against the canonical path without its query, case-sensitively unless told otherwise.
/// </summary>
internal static class PathPattern
{
    private const string OneSegment = "{*}";
    private const string ManySegments = "{**}";

    /// <summary>A predicate over canonical paths for <paramref name="pattern"/>.</summary>
    public static Func<string, bool> Compile(string pattern, bool ignoreCase)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!pattern.Contains(OneSegment, StringComparison.Ordinal) && !pattern.Contains(ManySegments, StringComparison.Ordinal))
        {
            return ValueMatch.Compile(pattern, ignoreCase);
        }

        var segments = pattern.Split('/');
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return path => Match(segments, 0, path.Split('/'), 0, comparison);
    }

    private static bool Match(string[] pattern, int p, string[] path, int s, StringComparison comparison)
    {
        while (p < pattern.Length)
        {
            if (pattern[p] == ManySegments)
            {
                // One or more segments, then the rest of the pattern (literals may follow, {**} never does).
                for (var end = s + 1; end <= path.Length; end++)
                {
                    if (Match(pattern, p + 1, path, end, comparison) && AllNonEmpty(path, s, end))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (s >= path.Length)
            {
                return false;
            }

            var matched = pattern[p] == OneSegment ? path[s].Length > 0 : string.Equals(pattern[p], path[s], comparison);
            if (!matched)
            {
                return false;
            }

            p++;
            s++;
        }

        return s == path.Length;
    }

    private static bool AllNonEmpty(string[] path, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            if (path[i].Length == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="path"/> with the <c>;parameters</c> of every segment removed (<c>/a;x/b;y=1</c> becomes
    /// <c>/a/b</c>), as servers that honour path parameters read it.
    /// </summary>
    public static string WithoutSegmentParameters(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var result = new System.Text.StringBuilder(path.Length);
        var skipping = false;
        foreach (var c in path)
        {
            if (c == '/')
            {
                skipping = false;
            }
            else if (c == ';')
            {
                skipping = true;
            }

            if (!skipping)
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
