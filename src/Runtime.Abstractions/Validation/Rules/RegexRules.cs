using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Regexes must be RE2 (Envoy's engine): no lookarounds or backreferences, at most 1024 characters.</summary>
internal static partial class RegexRules
{
    public const int MaxLength = 1024;

    public static void Validate(string path, string? pattern, IssueSink issues)
    {
        if (pattern is null)
        {
            return;
        }

        if (pattern.Length > MaxLength)
        {
            issues.Error(path, $"regex is {pattern.Length} characters long; at most {MaxLength} are allowed", "shorten the regex or use prefix/exact matches");
            return;
        }

        if (NotRe2().Match(pattern) is { Success: true } feature)
        {
            issues.Error(path, $"regex '{pattern}' uses '{feature.Value}', which RE2 does not support (no lookarounds, backreferences, atomic groups or possessive quantifiers)", "rewrite the regex without that construct");
            return;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException ex)
        {
            issues.Error(path, $"regex '{pattern}' is invalid: {ex.Message}", "fix the regex syntax");
        }
    }

    [GeneratedRegex(@"\(\?(=|!|<=|<!|>|\()|\\[1-9]|\\k<|[*+?}][+]")]
    private static partial Regex NotRe2();
}
