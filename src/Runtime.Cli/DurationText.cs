using System.CommandLine.Parsing;
using System.Globalization;

namespace Runtime.Cli;

/// <summary>Parses the short durations flags take: <c>30s</c>, <c>2m</c>, <c>500ms</c>, <c>1h</c>, or plain seconds.</summary>
internal static class DurationText
{
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (TryParse(text, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not a duration; use a number with a unit such as 500ms, 30s, 2m or 1h");
        return default;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1d),
            _ when text.EndsWith('m') => (text[..^1], 60d),
            _ when text.EndsWith('h') => (text[..^1], 3600d),
            _ => (text, 1d),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || double.IsInfinity(amount))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * scale);
        return true;
    }
}
