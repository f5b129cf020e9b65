using System.Globalization;

namespace Runtime.Abstractions.Common;

/// <summary>
/// A duration written the Go/Istio way (<c>30s</c>, <c>1.5s</c>, <c>100ms</c>, <c>1h30m</c>, <c>500us</c>, <c>10ns</c>).
/// Keeps the original text so that manifests round-trip unchanged.
/// </summary>
/// <param name="Value">The duration, rounded to 100 ns ticks.</param>
/// <param name="Text">The text as written.</param>
/// <param name="IsWholeMilliseconds">Whether the exact value is a whole number of milliseconds.</param>
public readonly record struct MeshDuration(TimeSpan Value, string Text, bool IsWholeMilliseconds)
{
    private const decimal NanosPerTick = 100m;
    private const decimal MaxNanos = (decimal)long.MaxValue * NanosPerTick;

    /// <summary>Parses Go duration syntax; returns <see langword="false"/> for anything else.</summary>
    /// <param name="text">Text such as <c>1h30m</c>.</param>
    /// <param name="duration">The parsed duration.</param>
    public static bool TryParse(string? text, out MeshDuration duration) => TryParse(text, out duration, out _);

    /// <summary>Parses Go duration syntax; on failure says why (for example <c>duration too large</c>).</summary>
    /// <param name="text">Text such as <c>1h30m</c>.</param>
    /// <param name="duration">The parsed duration.</param>
    /// <param name="error">Why the text is not a duration, or <see langword="null"/> on success.</param>
    public static bool TryParse(string? text, out MeshDuration duration, out string? error)
    {
        duration = default;
        error = "not a duration";
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        var span = text.AsSpan();
        var negative = span[0] == '-';
        if (span[0] is '-' or '+')
        {
            span = span[1..];
        }

        if (span is "0")
        {
            duration = new MeshDuration(TimeSpan.Zero, text, true);
            error = null;
            return true;
        }

        decimal nanos = 0;
        while (!span.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < span.Length && (char.IsAsciiDigit(span[numberLength]) || span[numberLength] == '.'))
            {
                numberLength++;
            }

            if (!decimal.TryParse(span[..numberLength], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[numberLength..];
            var unitLength = 0;
            while (unitLength < span.Length && !char.IsAsciiDigit(span[unitLength]) && span[unitLength] != '.')
            {
                unitLength++;
            }

            if (UnitNanos(span[..unitLength]) is not decimal unit)
            {
                return false;
            }

            // Checked before multiplying: decimal arithmetic throws on overflow (99999999999999999h).
            if (number > (MaxNanos - nanos) / unit)
            {
                error = "duration too large";
                return false;
            }

            nanos += number * unit;

            span = span[unitLength..];
        }

        var ticks = (long)decimal.Round(nanos / NanosPerTick);
        var whole = decimal.Truncate(nanos) == nanos && nanos % 1_000_000m == 0;
        duration = new MeshDuration(TimeSpan.FromTicks(negative ? -ticks : ticks), text, whole);
        error = null;
        return true;
    }

    /// <summary>The text as written.</summary>
    public override string ToString() => Text;

    private static decimal? UnitNanos(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1m,
        "us" or "µs" or "μs" => 1_000m,
        "ms" => 1_000_000m,
        "s" => 1_000_000_000m,
        "m" => 60_000_000_000m,
        "h" => 3_600_000_000_000m,
        _ => null,
    };
}
