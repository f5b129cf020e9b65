using Runtime.Abstractions.Telemetry;
using Runtime.Silo.Traffic;

namespace Runtime.Silo.Tests.Traffic;

/// <summary>Quantiles read from Istio buckets as PromQL's histogram_quantile reads them.</summary>
public sealed class HistogramQuantileTests
{
    [Theory]
    [InlineData(0.5, 3.0)]    // rank 5 of 10, all in (1, 5]: 1 + 4 * 5/10
    [InlineData(0.99, 4.96)]  // rank 9.9: 1 + 4 * 9.9/10
    [InlineData(1.0, 5.0)]
    public void Of_OneBucket_InterpolatesInsideIt(double q, double expected) =>
        Assert.Equal(expected, HistogramQuantile.Of(q, IstioBuckets.Bounds, Buckets((2, 10)))!.Value, 9);

    [Theory]
    [InlineData(0.5, 3.0)]    // 2 in (0, 0.5], 6 in (1, 5], 2 in (5, 10]: rank 5 is the 3rd of 6 in (1, 5]
    [InlineData(0.99, 9.75)]  // rank 9.9 is 1.9 of 2 into (5, 10]
    [InlineData(0.1, 0.25)]   // rank 1 of 2 in the first bucket, which starts at 0
    public void Of_SeveralBuckets_FindsTheRankAndInterpolates(double q, double expected) =>
        Assert.Equal(expected, HistogramQuantile.Of(q, IstioBuckets.Bounds, Buckets((0, 2), (2, 6), (3, 2)))!.Value, 9);

    [Fact]
    public void Of_RankAboveTheLastBound_AnswersTheLastBound() =>
        Assert.Equal(3600000, HistogramQuantile.Of(0.5, IstioBuckets.Bounds, Buckets((19, 3))));

    [Fact]
    public void Of_NoObservations_Null() =>
        Assert.Null(HistogramQuantile.Of(0.99, IstioBuckets.Bounds, Buckets()));

    private static long[] Buckets(params (int Index, long Count)[] counts)
    {
        var buckets = new long[IstioBuckets.Bounds.Count + 1];
        foreach (var (index, count) in counts)
        {
            buckets[index] = count;
        }

        return buckets;
    }
}
