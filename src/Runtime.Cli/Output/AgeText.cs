using System.Globalization;

namespace Runtime.Cli.Output;

/// <summary>kubectl's compact ages: <c>45s</c>, <c>12m</c>, <c>5h</c>, <c>3d</c>.</summary>
internal static class AgeText
{
    /// <summary>The time since <paramref name="since"/>; <c>&lt;unknown&gt;</c> when null.</summary>
    public static string Format(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is not { } start)
        {
            return "<unknown>";
        }

        return Span(now - start);
    }

    /// <summary>A duration in the same compact form; negative durations count as zero.</summary>
    public static string Span(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age switch
        {
            { TotalMinutes: < 2 } => Invariant($"{(int)age.TotalSeconds}s"),
            { TotalHours: < 2 } => Invariant($"{(int)age.TotalMinutes}m"),
            { TotalDays: < 2 } => Invariant($"{(int)age.TotalHours}h"),
            _ => Invariant($"{(int)age.TotalDays}d"),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
