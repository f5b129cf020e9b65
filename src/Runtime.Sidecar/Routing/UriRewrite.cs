using System.Text;
using System.Text.RegularExpressions;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// A path rewrite compiled for one match entry. Istio's <c>rewrite.uri</c> replaces the portion the entry matched:
/// the prefix for a prefix match, the whole path for an exact or regex match, and the leading <c>/</c> when the
/// entry has no uri match (Istio emits a <c>/</c> prefix route then). <c>uriRegexRewrite</c> is Envoy's
/// <c>regex_rewrite</c>: every non-overlapping match is replaced, <c>\1</c> refers to capture group 1.
/// </summary>
internal sealed class UriRewrite
{
    private readonly string? _matchedPrefix;
    private readonly bool _ignoreCase;
    private readonly string _replacement;
    private readonly Regex? _regex;

    private UriRewrite(string? matchedPrefix, bool ignoreCase, string replacement, Regex? regex)
    {
        _matchedPrefix = matchedPrefix;
        _ignoreCase = ignoreCase;
        _replacement = replacement;
        _regex = regex;
    }

    /// <summary>Replaces <paramref name="matchedPrefix"/> (as matched, honouring ignoreUriCase) with <paramref name="replacement"/>.</summary>
    public static UriRewrite ForPrefix(string matchedPrefix, bool ignoreCase, string replacement) => new(matchedPrefix, ignoreCase, replacement, null);

    /// <summary>Replaces the whole path.</summary>
    public static UriRewrite ForWholePath(string replacement) => new(null, false, replacement, null);

    /// <summary>Replaces every match of <paramref name="regex"/>; <paramref name="re2Substitution"/> uses RE2's <c>\N</c> group syntax.</summary>
    public static UriRewrite ForRegex(Regex regex, string re2Substitution) => new(null, false, ToDotNetSubstitution(re2Substitution), regex);

    /// <summary>Returns the rewritten path.</summary>
    public string Apply(string path)
    {
        if (_regex is not null)
        {
            try
            {
                return _regex.Replace(path, _replacement);
            }
            catch (RegexMatchTimeoutException)
            {
                return path;
            }
        }

        if (_matchedPrefix is null)
        {
            return _replacement;
        }

        var comparison = _ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return path.StartsWith(_matchedPrefix, comparison) ? string.Concat(_replacement, path.AsSpan(_matchedPrefix.Length)) : path;
    }

    private static string ToDotNetSubstitution(string re2)
    {
        var sb = new StringBuilder(re2.Length + 8);
        for (var i = 0; i < re2.Length; i++)
        {
            var c = re2[i];
            if (c == '\\' && i + 1 < re2.Length && char.IsAsciiDigit(re2[i + 1]))
            {
                sb.Append("${").Append(re2[++i]).Append('}');
            }
            else if (c == '\\' && i + 1 < re2.Length && re2[i + 1] == '\\')
            {
                sb.Append('\\');
                i++;
            }
            else if (c == '$')
            {
                sb.Append("$$");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
