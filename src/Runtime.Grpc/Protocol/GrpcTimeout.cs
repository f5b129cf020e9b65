using System.Globalization;

namespace Runtime.Grpc.Protocol;

/// <summary>The <c>grpc-timeout</c> header: 1–8 ASCII digits followed by a unit (H M S m u n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;
    private const long NanosecondsPerTick = 100;

    private static readonly (char Unit, long TicksPerUnit)[] Units =
    [
        ('H', TimeSpan.TicksPerHour),
        ('M', TimeSpan.TicksPerMinute),
        ('S', TimeSpan.TicksPerSecond),
        ('m', TimeSpan.TicksPerMillisecond),
        ('u', TimeSpan.TicksPerMicrosecond),
    ];

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length is < 2 or > 9)
        {
            return false;
        }

        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long ticks;
        switch (value[^1])
        {
            case 'n':
                // 100 ns per tick; round up so a tiny timeout never becomes "no time at all".
                ticks = (amount + NanosecondsPerTick - 1) / NanosecondsPerTick;
                break;
            case var unit when Array.FindIndex(Units, u => u.Unit == unit) is var index and >= 0:
                // At most 99999999H = 3.6e18 ticks: fits a long; checked documents that it must.
                ticks = checked(amount * Units[index].TicksPerUnit);
                break;
            default:
                return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>
    /// Formats with the finest unit that fits in 8 digits, rounding up; a timeout too long for
    /// even 8 digits of hours is clamped to the largest encodable value, 99999999H (~11,400 years).
    /// </summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 0);

        // Compare before multiplying: ticks * 100 overflows for timeouts beyond ~292 years.
        if (ticks <= MaxValue / NanosecondsPerTick)
        {
            return (ticks * NanosecondsPerTick).ToString(CultureInfo.InvariantCulture) + "n";
        }

        for (var i = Units.Length - 1; i >= 0; i--)
        {
            var (unit, perUnit) = Units[i];

            // Round up without ticks + perUnit - 1, which overflows near TimeSpan.MaxValue.
            var amount = (ticks / perUnit) + (ticks % perUnit == 0 ? 0 : 1);
            if (amount <= MaxValue)
            {
                return amount.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
