using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Tests.Protocol;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3600_000.0)]
    [InlineData("2M", 120_000.0)]
    [InlineData("3S", 3_000.0)]
    [InlineData("250m", 250.0)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2.0)]
    [InlineData("99999999S", 99_999_999_000.0)]
    public void TryParse_EachUnit_ParsesDuration(string value, double expectedMilliseconds)
    {
        Assert.True(GrpcTimeout.TryParse(value, out var timeout));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("123456789S")]
    [InlineData("1.5S")]
    public void TryParse_Invalid_ReturnsFalse(string value) => Assert.False(GrpcTimeout.TryParse(value, out _));

    [Theory]
    [InlineData(0.5)]
    [InlineData(250)]
    [InlineData(90_000)]
    [InlineData(86_400_000.0 * 30)]
    public void Format_ThenParse_NeverShortensTheTimeout(double milliseconds)
    {
        var timeout = TimeSpan.FromMilliseconds(milliseconds);
        var header = GrpcTimeout.Format(timeout);

        Assert.InRange(header.Length, 2, 9);
        Assert.True(GrpcTimeout.TryParse(header, out var parsed));
        Assert.True(parsed >= timeout, $"{header} parsed as {parsed}, shorter than {timeout}");
    }

    public static TheoryData<long, string> HugeTimeouts => new()
    {
        // Just past where ticks * 100 overflowed a long and used to format as a negative "n" value.
        { (long.MaxValue / 100) + 1, "2562048H" },
        { TimeSpan.FromDays(365 * 1000).Ticks, "8760000H" },
        { TimeSpan.FromHours(99_999_999).Ticks, "99999999H" },
        { TimeSpan.FromHours(99_999_999).Ticks + 1, "99999999H" },
        { TimeSpan.MaxValue.Ticks, "99999999H" },
    };

    [Theory]
    [MemberData(nameof(HugeTimeouts))]
    public void Format_HugeTimeout_ClampsToEncodableHours(long ticks, string expected)
    {
        var header = GrpcTimeout.Format(TimeSpan.FromTicks(ticks));

        Assert.Equal(expected, header);
        Assert.True(GrpcTimeout.TryParse(header, out var parsed), $"{header} does not parse");
        Assert.True(parsed > TimeSpan.Zero, $"{header} parsed as {parsed}");
    }

    [Theory]
    [InlineData(999_999, "99999900n")]
    [InlineData(1_000_000, "100000u")]
    [InlineData(-5, "0n")]
    public void Format_AtNanosecondBoundary_PicksUnitThatFits(long ticks, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromTicks(ticks)));
}
