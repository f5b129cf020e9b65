using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Tests.Common;

public class MeshDurationTests
{
    [Theory]
    [InlineData("30s", 30_000_000_0L)]
    [InlineData("1m", 600_000_000L)]
    [InlineData("1.5s", 15_000_000L)]
    [InlineData("100ms", 1_000_000L)]
    [InlineData("1h30m", 54_000_000_000L)]
    [InlineData("500us", 5_000L)]
    [InlineData("500µs", 5_000L)]
    [InlineData("10ns", 0L)]
    [InlineData("0", 0L)]
    [InlineData("-2s", -20_000_000L)]
    public void TryParse_GoDuration_GivesTicksAndKeepsText(string text, long ticks)
    {
        Assert.True(MeshDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromTicks(ticks), duration.Value);
        Assert.Equal(text, duration.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("5 s")]
    [InlineData("1d")]
    [InlineData("s")]
    [InlineData("1..5s")]
    [InlineData("99999999999999h")]
    [InlineData("99999999999999999h")]
    [InlineData("9999999999999999999999999999h")]
    public void TryParse_Invalid_ReturnsFalse(string text) => Assert.False(MeshDuration.TryParse(text, out _));

    [Theory]
    [InlineData("99999999999999999h")]
    [InlineData("1h99999999999999999999999999m")]
    [InlineData("2562047789h")]
    public void TryParse_Overflow_SaysDurationTooLarge(string text)
    {
        Assert.False(MeshDuration.TryParse(text, out _, out var error));
        Assert.Equal("duration too large", error);
    }

    [Theory]
    [InlineData("1.5s", true)]
    [InlineData("1ms", true)]
    [InlineData("1000us", true)]
    [InlineData("1500us", false)]
    [InlineData("1.0005s", false)]
    [InlineData("10ns", false)]
    public void TryParse_Precision_ReportsWholeMilliseconds(string text, bool whole)
    {
        Assert.True(MeshDuration.TryParse(text, out var duration));
        Assert.Equal(whole, duration.IsWholeMilliseconds);
    }
}
