using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Header names must be HTTP tokens (or HTTP/2 pseudo-headers such as <c>:authority</c>).</summary>
internal static partial class HeaderRules
{
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
