using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Runtime.Abstractions.Reading;

/// <summary>Types plain scalars by the YAML 1.2 core schema; quoted scalars are always strings.</summary>
internal static partial class ScalarResolver
{
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>The JSON value of a scalar, or an error message when it cannot be represented.</summary>
    public static JsonNode? Resolve(Scalar scalar, out string? error)
    {
        error = null;
        var explicitString = !scalar.Tag.IsEmpty && (scalar.Tag.Value == StringTag || scalar.Tag.Value == "!");
        if (scalar.Style != ScalarStyle.Plain || explicitString)
        {
            return JsonValue.Create(scalar.Value);
        }

        return ResolvePlain(scalar.Value, out error);
    }

    /// <summary>Whether a string written plain would read back as something other than that string.</summary>
    public static bool NeedsQuotes(string value) => ResolvePlain(value, out _) is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String;

    private static JsonValue? ResolvePlain(string text, out string? error)
    {
        error = null;
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (DecimalInteger().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return JsonValue.Create(value);
            }

            // Beyond long, keep the float branch's rule: a value JSON cannot hold (309+ digits is infinity) is an error.
            return Finite(text, double.Parse(text, CultureInfo.InvariantCulture), out error);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex >= 0)
        {
            return JsonValue.Create(hex);
        }

        if (OctalInteger().IsMatch(text))
        {
            return JsonValue.Create(Convert.ToInt64(text[2..], 8));
        }

        if (Float().IsMatch(text))
        {
            return Finite(text, double.Parse(text, CultureInfo.InvariantCulture), out error);
        }

        if (Special().IsMatch(text))
        {
            error = $"{text} (infinity or not-a-number) cannot be represented";
            return null;
        }

        return JsonValue.Create(text);
    }

    private static JsonValue? Finite(string text, double number, out string? error)
    {
        if (double.IsFinite(number))
        {
            error = null;
            return JsonValue.Create(number);
        }

        var shown = text.Length <= 24 ? text : $"{text[..20]}... ({text.Length} characters)";
        error = $"number {shown} is too large to represent as a number";
        return null;
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex("^0o[0-7]{1,21}$")]
    private static partial Regex OctalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex Special();
}
