using Runtime.Abstractions.Telemetry;
using Runtime.Sidecar.Metrics;

namespace Runtime.Sidecar.Tests.Metrics;

public sealed class LockFreeHistogramTests
{
    [Fact]
    public void Observe_ValueOnABound_CountsInThatBucket()
    {
        var histogram = new LockFreeHistogram([1, 5, 10]);
        histogram.Observe(0);
        histogram.Observe(1);
        histogram.Observe(1.5);
        histogram.Observe(10);
        histogram.Observe(11);

        var (cumulative, sum) = histogram.Read();

        Assert.Equal([2L, 3, 4, 5], cumulative);
        Assert.Equal(23.5, sum);
    }

    [Fact]
    public async Task Observe_ConcurrentWriters_LosesNothing()
    {
        var histogram = new LockFreeHistogram(IstioBuckets.CopyBounds());
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Observe(i % 7);
            }
        })));

        var (cumulative, sum) = histogram.Read();

        Assert.Equal(40_000, cumulative[^1]);
        Assert.Equal(4 * Enumerable.Range(0, 10_000).Sum(i => i % 7), sum);
    }
}
