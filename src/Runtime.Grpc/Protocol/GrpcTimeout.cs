using System.Globalization;

namespace Runtime.Grpc.Protocol;

/// <summary>The <c>grpc-timeout</c> header: 1–8 ASCII digits followed by a unit (H M S m u n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

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
                ticks = (amount + 99) / 100;
                break;
            case var unit when Array.FindIndex(Units, u => u.Unit == unit) is var index and >= 0:
                ticks = amount * Units[index].TicksPerUnit;
                break;
            default:
                return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    /// <summary>Formats with the finest unit that fits in 8 digits, rounding up.</summary>
    public static string Format(TimeSpan timeout)
    {
        var ticks = Math.Max(timeout.Ticks, 0);
        if (ticks * 100 <= MaxValue)
        {
            return (ticks * 100).ToString(CultureInfo.InvariantCulture) + "n";
        }

        for (var i = Units.Length - 1; i >= 0; i--)
        {
            var (unit, perUnit) = Units[i];
            var amount = (ticks + perUnit - 1) / perUnit;
            if (amount <= MaxValue)
            {
                return amount.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }
}
