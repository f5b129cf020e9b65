using System.Text.RegularExpressions;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>
/// Regexes must be RE2 (Envoy's engine): no lookarounds, backreferences, atomic groups or possessive quantifiers, and at most
/// 1024 characters. RE2-only syntax is rewritten by <see cref="Re2Syntax"/> and the result compiled by .NET to check structure.
/// </summary>
internal static class RegexRules
{
    public const int MaxLength = 1024;

    // .NET parse errors that RE2 reports too; anything else may be .NET not knowing an RE2 construct.
    private static readonly HashSet<RegexParseError> SharedErrors =
    [
        RegexParseError.InsufficientClosingParentheses, RegexParseError.InsufficientOpeningParentheses, RegexParseError.UnterminatedBracket,
        RegexParseError.QuantifierAfterNothing, RegexParseError.NestedQuantifiersNotParenthesized, RegexParseError.ReversedCharacterRange,
        RegexParseError.ReversedQuantifierRange, RegexParseError.UnescapedEndingBackslash, RegexParseError.ShorthandClassInCharacterRange,
        RegexParseError.UnrecognizedEscape, RegexParseError.InsufficientOrInvalidHexDigits,
    ];

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

        if (Re2Syntax.Translate(pattern, out var unsupported) is not string translated)
        {
            issues.Error(path, $"regex '{pattern}' uses {unsupported}, which RE2 does not support", "rewrite the regex without that construct; see https://github.com/google/re2/wiki/Syntax");
            return;
        }

        try
        {
            _ = new Regex(translated, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (RegexParseException ex) when (SharedErrors.Contains(ex.Error))
        {
            issues.Error(path, $"regex '{pattern}' is invalid: {ex.Message}", "fix the regex syntax");
        }
        catch (ArgumentException ex)
        {
            issues.Warning(path, $"regex '{pattern}' could not be fully checked ({ex.Message}); RE2 may still accept it", "check it against RE2 syntax: https://github.com/google/re2/wiki/Syntax");
        }
    }
}
