using System.Globalization;
using System.Text;

namespace Runtime.Abstractions.Telemetry;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: <c># HELP</c> / <c># TYPE</c> lines, then one
/// <c>name{label="value",...} number</c> line per sample.
/// </summary>
public sealed class PrometheusTextWriter
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>Writes a family's <c># HELP</c> (when <paramref name="help"/> is given) and <c># TYPE</c> lines.</summary>
    public void WriteFamily(string name, string type, string? help)
    {
        if (!string.IsNullOrEmpty(help))
        {
            _text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        }

        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>Writes one sample line; <paramref name="extraLabel"/> (e.g. a histogram's <c>le</c>) comes last.</summary>
    public void WriteSample(string name, IReadOnlyList<KeyValuePair<string, string>> labels, double value, string? extraLabel = null, string? extraValue = null)
    {
        _text.Append(name);
        if (labels.Count > 0 || extraLabel is not null)
        {
            _text.Append('{');
            var first = true;
            foreach (var (key, labelValue) in labels)
            {
                AppendLabel(key, labelValue, ref first);
            }

            if (extraLabel is not null)
            {
                AppendLabel(extraLabel, extraValue ?? "", ref first);
            }

            _text.Append('}');
        }

        _text.Append(' ').Append(FormatValue(value)).Append('\n');
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>Replaces characters not allowed in metric or label names with '_'.</summary>
    public static string SanitizeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c is '_' or ':' || (i > 0 && char.IsAsciiDigit(c));
            builder.Append(ok ? c : '_');
        }

        return builder.ToString();
    }

    /// <summary>Escapes backslash, double quote and newline in a label value.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Escapes backslash and newline in a HELP text.</summary>
    public static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A sample value as the format spells it: shortest round-trip, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private void AppendLabel(string key, string value, ref bool first)
    {
        if (!first)
        {
            _text.Append(',');
        }

        first = false;
        _text.Append(SanitizeName(key)).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
    }
}
