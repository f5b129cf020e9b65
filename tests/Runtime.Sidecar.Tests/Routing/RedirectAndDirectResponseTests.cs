using Runtime.Sidecar.Routing;
using static Runtime.Sidecar.Tests.Routing.TestMesh;

namespace Runtime.Sidecar.Tests.Routing;

public class RedirectAndDirectResponseTests
{
    private static RouteDecision Route(string ruleJson, string url) =>
        TestMesh.Table([Service("reviews")], Vs("reviews", $$"""{"hosts":["reviews"],"http":[{{ruleJson}}]}""")).Route(Get(url));

    [Theory]
    [InlineData("""{"redirect":{"uri":"/v2/items"}}""", "http://reviews/old?page=2", 301, "http://reviews/v2/items?page=2")]
    [InlineData("""{"redirect":{"uri":"/v2?sort=asc"}}""", "http://reviews/old?page=2", 301, "http://reviews/v2?sort=asc")]
    [InlineData("""{"redirect":{"authority":"newreviews.example.com","redirectCode":308}}""", "http://reviews:9080/a", 308, "http://newreviews.example.com/a")]
    [InlineData("""{"redirect":{"scheme":"https"}}""", "http://reviews/a", 301, "https://reviews/a")]
    [InlineData("""{"redirect":{"scheme":"https","port":8443}}""", "http://reviews/a", 301, "https://reviews:8443/a")]
    [InlineData("""{"redirect":{"scheme":"https","port":443}}""", "http://reviews/a", 301, "https://reviews/a")]
    [InlineData("""{"redirect":{"uri":"/b"}}""", "http://reviews:9080/a", 301, "http://reviews:9080/b")]
    [InlineData("""{"redirect":{"authority":"other","derivePort":"FROM_REQUEST_PORT"}}""", "http://reviews:9080/a", 301, "http://other:9080/a")]
    [InlineData("""{"redirect":{"scheme":"https","derivePort":"FROM_PROTOCOL_DEFAULT"}}""", "http://reviews:9080/a", 301, "https://reviews/a")]
    public void Route_Redirect_BuildsLocation(string rule, string url, int status, string location)
    {
        var redirect = Assert.IsType<Redirect>(Route(rule, url));

        Assert.Equal(status, redirect.Status);
        Assert.Equal(location, redirect.Location);
    }

    [Fact]
    public void Route_DirectResponse_ReturnsStatusAndBody()
    {
        var direct = Assert.IsType<DirectResponse>(Route("""{"directResponse":{"status":418,"body":{"string":"teapot"}}}""", "http://reviews/"));

        Assert.Equal(418, direct.Status);
        Assert.Equal("teapot", direct.Body);
    }

    [Fact]
    public void Route_DirectResponseBytes_AreDecoded()
    {
        var direct = Assert.IsType<DirectResponse>(Route("""{"directResponse":{"status":503,"body":{"bytes":"ZG93bg=="}}}""", "http://reviews/"));

        Assert.Equal("down", direct.Body);
    }
}
