using Runtime.Sidecar.Routing;
using static Runtime.Sidecar.Tests.Routing.TestMesh;

namespace Runtime.Sidecar.Tests.Routing;

public class WeightedRouteTests
{
    private const int Decisions = 20_000;

    private static RouteTable Split(string weightsJson) => TestMesh.Table(
        [Service("reviews", "default", Endpoint("10.0.0.1", "v1"), Endpoint("10.0.0.2", "v2"))],
        Vs("reviews", $$"""{"hosts":["reviews"],"http":[{"route":{{weightsJson}}}]}"""),
        Dr("reviews", """{"host":"reviews","subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v2","labels":{"version":"v2"}}]}"""));

    private static double ShareOfV1(RouteTable table)
    {
        var request = Get("http://reviews/");
        var v1 = 0;
        for (var i = 0; i < Decisions; i++)
        {
            v1 += Forwarded(table.Route(request)).Target.Cluster.Subset == "v1" ? 1 : 0;
        }

        return (double)v1 / Decisions;
    }

    // With 20,000 draws the standard deviation of the share is below 0.3%, so ±3% is over 10 sigma:
    // a correct split cannot fail by accident, and a split off by 3% or more cannot pass.
    [Theory]
    [InlineData(80, 20)]
    [InlineData(90, 10)]
    public void Route_WeightedDestinations_SplitWithinThreePercent(int v1, int v2)
    {
        var table = Split($$"""[{"destination":{"host":"reviews","subset":"v1"},"weight":{{v1}}},{"destination":{"host":"reviews","subset":"v2"},"weight":{{v2}}}]""");

        Assert.InRange(ShareOfV1(table), (v1 / 100.0) - 0.03, (v1 / 100.0) + 0.03);
    }

    [Fact]
    public void Route_SingleDestinationWithoutWeight_TakesAllTraffic()
    {
        var table = Split("""[{"destination":{"host":"reviews","subset":"v1"}}]""");

        Assert.Equal(1.0, ShareOfV1(table));
    }

    [Fact]
    public void Route_ZeroWeightDestination_GetsNothing()
    {
        var table = Split("""[{"destination":{"host":"reviews","subset":"v1"},"weight":100},{"destination":{"host":"reviews","subset":"v2"},"weight":0}]""");

        Assert.Equal(1.0, ShareOfV1(table));
    }

    [Fact]
    public void Build_AllWeightsZero_IsFatalNamingTheRoute()
    {
        var build = Build(
            [Service("reviews")],
            [Vs("reviews", """{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews"},"weight":0},{"destination":{"host":"reviews"}}]}]}""")]);

        Assert.True(build.IsFatal);
        Assert.Contains("VirtualService/default/reviews spec.http[0].route", build.NackReason, StringComparison.Ordinal);
    }
}
