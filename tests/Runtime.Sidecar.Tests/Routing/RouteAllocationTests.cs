using static Runtime.Sidecar.Tests.Routing.TestMesh;

namespace Runtime.Sidecar.Tests.Routing;

public class RouteAllocationTests
{
    [Fact]
    public void Route_SimplePrefixRoute_DoesNotAllocatePerCall()
    {
        var table = TestMesh.Table(
            [Service("reviews"), Service("api")],
            Vs("reviews", """
            {"hosts":["reviews"],"http":[
              {"match":[{"uri":{"prefix":"/api"}}],"route":[{"destination":{"host":"api"},"weight":90},{"destination":{"host":"reviews"},"weight":10}]},
              {"route":[{"destination":{"host":"reviews"}}]}]}
            """));
        var request = Get("http://reviews:9080/api/items", new Dictionary<string, string> { ["x-user"] = "jason" });
        for (var i = 0; i < 1_000; i++)
        {
            table.Route(request); // warm up: per-port decisions are built on first use
        }

        const int Calls = 10_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Calls; i++)
        {
            table.Route(request);
        }

        var perCall = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / Calls;

        Assert.True(perCall < 1, $"Route allocated {perCall:F1} bytes per call");
    }
}
