using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Tests.Resilience;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan Max = TimeSpan.FromMilliseconds(250);

    [Theory]
    [InlineData(1, 25)]
    [InlineData(2, 50)]
    [InlineData(3, 100)]
    [InlineData(4, 200)]
    [InlineData(5, 250)]
    [InlineData(30, 250)]
    public void Interval_DoublesFromTheBaseUpToTheCap(int retry, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), RetryBackoff.Interval(retry, Base, Max));
    }

    [Fact]
    public void Next_DrawsUniformlyBelowTheInterval()
    {
        var random = new Random(42);
        var seen = new HashSet<long>();
        for (var i = 0; i < 2000; i++)
        {
            var wait = RetryBackoff.Next(3, Base, Max, random);
            Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromMilliseconds(99));
            seen.Add((long)wait.TotalMilliseconds);
        }

        // Every whole millisecond of [0, 100) turns up in 2000 draws (missing one has probability ~1e-7).
        Assert.Equal(100, seen.Count);
    }

    [Fact]
    public void Interval_RetryBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RetryBackoff.Interval(0, Base, Max));
    }
}
