using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Header names must be HTTP tokens (or HTTP/2 pseudo-headers such as <c>:authority</c>).</summary>
internal static partial class HeaderRules
{
    private const string JwtClaimPrefix = "@request.auth.claims";

    public static void ValidateName(string path, string? name, IssueSink issues)
    {
        if (string.IsNullOrEmpty(name))
        {
            issues.Error(path, "header name must not be empty");
            return;
        }

        if (!Token().IsMatch(name))
        {
            issues.Error(path, $"header name '{name}' is not a valid HTTP header name", "use letters, digits and - (no spaces or colons)");
        }
    }

    /// <summary>
    /// Names in VirtualService header matches: a header name, or a JWT claim written <c>@request.auth.claims.group</c>
    /// or <c>@request.auth.claims[group]</c> (nested: <c>.a.b</c> or <c>[a][b]</c>).
    /// </summary>
    public static void ValidateMatchName(string path, string? name, IssueSink issues)
    {
        if (!IsJwtClaim(name))
        {
            ValidateName(path, name, issues);
        }
    }

    /// <summary>Whether a header-match name routes on a JWT claim rather than a header.</summary>
    public static bool IsJwtClaim(string? name)
    {
        if (name is null || !name.StartsWith(JwtClaimPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var claim = name[JwtClaimPrefix.Length..];
        return (claim.Length > 1 && claim[0] == '.') || (claim.Length > 2 && claim[0] == '[' && claim[^1] == ']');
    }

    public static void ValidateNames(string path, IEnumerable<string>? names, IssueSink issues)
    {
        var index = 0;
        foreach (var name in names ?? [])
        {
            ValidateName($"{path}[{index++}]", name, issues);
        }
    }

    [GeneratedRegex("^:?[a-zA-Z0-9!#$%&'*+.^_`|~-]+$")]
    private static partial Regex Token();
}
