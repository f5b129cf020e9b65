using Runtime.Sidecar.Routing;
using static Runtime.Sidecar.Tests.Routing.TestMesh;

namespace Runtime.Sidecar.Tests.Routing;

public class MatchTests
{
    private static RouteTable WithRule(string matchJson, SidecarIdentity? self = null) => TestMesh.Table(
        [Service("reviews"), Service("matched"), Service("fallback")],
        self ?? Self(),
        Vs("reviews", $$$"""
        {"hosts":["reviews"],"http":[
          {"name":"hit","match":{{{matchJson}}},"route":[{"destination":{"host":"matched"}}]},
          {"name":"rest","route":[{"destination":{"host":"fallback"}}]}]}
        """));

    private static string Hit(RouteTable table, RequestView request) => Forwarded(table.Route(request)).Actions.RouteName!;

    private static Dictionary<string, string> H(params (string Name, string Value)[] headers) => headers.ToDictionary(h => h.Name, h => h.Value);

    [Theory]
    [InlineData("""[{"uri":{"exact":"/a"}}]""", "/a", "hit")]
    [InlineData("""[{"uri":{"exact":"/a"}}]""", "/a/b", "rest")]
    [InlineData("""[{"uri":{"prefix":"/api"}}]""", "/api/v1", "hit")]
    [InlineData("""[{"uri":{"prefix":"/api"}}]""", "/API/v1", "rest")]
    [InlineData("""[{"uri":{"prefix":"/api"},"ignoreUriCase":true}]""", "/API/v1", "hit")]
    [InlineData("""[{"uri":{"exact":"/a"},"ignoreUriCase":true}]""", "/A", "hit")]
    [InlineData("""[{"uri":{"regex":"/v[0-9]+"}}]""", "/v12", "hit")]
    [InlineData("""[{"uri":{"regex":"/v[0-9]+"}}]""", "/v12/x", "rest")]
    [InlineData("""[{"uri":{"regex":"/v[0-9]+"}}]""", "/x/v12", "rest")]
    [InlineData("""[{"uri":{"regex":"/V1"},"ignoreUriCase":true}]""", "/v1", "rest")]
    public void Route_UriMatch_FollowsIstioSemantics(string match, string path, string expected)
    {
        Assert.Equal(expected, Hit(WithRule(match), Get($"http://reviews{path}")));
    }

    [Theory]
    [InlineData("""[{"method":{"exact":"POST"}}]""", "POST", "hit")]
    [InlineData("""[{"method":{"exact":"POST"}}]""", "GET", "rest")]
    [InlineData("""[{"scheme":{"exact":"https"}}]""", "GET", "rest")]
    [InlineData("""[{"authority":{"exact":"reviews:9080"}}]""", "GET", "hit")]
    [InlineData("""[{"authority":{"prefix":"ratings"}}]""", "GET", "rest")]
    [InlineData("""[{"port":9080}]""", "GET", "hit")]
    [InlineData("""[{"port":9081}]""", "GET", "rest")]
    public void Route_MethodSchemeAuthorityPort_Match(string match, string method, string expected)
    {
        Assert.Equal(expected, Hit(WithRule(match), Get("http://reviews:9080/", method: method)));
    }

    [Theory]
    [InlineData("x-user", "jason", "hit")]
    [InlineData("X-User", "jason", "hit")]
    [InlineData("x-user", "Jason", "rest")]
    [InlineData("x-other", "jason", "rest")]
    public void Route_HeaderExact_NamesCaseInsensitiveValuesCaseSensitive(string name, string value, string expected)
    {
        var table = WithRule("""[{"headers":{"x-user":{"exact":"jason"}}}]""");

        Assert.Equal(expected, Hit(table, Get("http://reviews/", H((name, value)))));
    }

    [Fact]
    public void Route_HeaderPrefixRegexAndPresence_Match()
    {
        var prefix = WithRule("""[{"headers":{"x-user":{"prefix":"ja"}}}]""");
        var regex = WithRule("""[{"headers":{"cookie":{"regex":".*user=jason.*"}}}]""");
        var present = WithRule("""[{"headers":{"x-debug":{}}}]""");

        Assert.Equal("hit", Hit(prefix, Get("http://reviews/", H(("x-user", "jason")))));
        Assert.Equal("rest", Hit(prefix, Get("http://reviews/", H(("x-user", "mike")))));
        Assert.Equal("hit", Hit(regex, Get("http://reviews/", H(("cookie", "a=1; user=jason")))));
        Assert.Equal("rest", Hit(regex, Get("http://reviews/", H(("cookie", "user=mike")))));
        Assert.Equal("hit", Hit(present, Get("http://reviews/", H(("x-debug", "")))));
        Assert.Equal("rest", Hit(present, Get("http://reviews/")));
    }

    [Fact]
    public void Route_WithoutHeaders_MatchesOnlyWhenNoneMatch()
    {
        var table = WithRule("""[{"withoutHeaders":{"x-canary":{"exact":"true"},"x-debug":{}}}]""");

        Assert.Equal("hit", Hit(table, Get("http://reviews/")));
        Assert.Equal("hit", Hit(table, Get("http://reviews/", H(("x-canary", "false")))));
        Assert.Equal("rest", Hit(table, Get("http://reviews/", H(("x-canary", "true")))));
        Assert.Equal("rest", Hit(table, Get("http://reviews/", H(("x-debug", "1")))));
    }

    [Theory]
    [InlineData("?v=2", "hit")]
    [InlineData("?a=1&v=2", "hit")]
    [InlineData("?v=3", "rest")]
    [InlineData("?vv=2", "rest")]
    [InlineData("", "rest")]
    public void Route_QueryParamExact_Match(string query, string expected)
    {
        Assert.Equal(expected, Hit(WithRule("""[{"queryParams":{"v":{"exact":"2"}}}]"""), Get($"http://reviews/{query}")));
    }

    [Fact]
    public void Route_QueryParamPrefixAndRegex_MatchDecodedValue()
    {
        Assert.Equal("hit", Hit(WithRule("""[{"queryParams":{"q":{"prefix":"a b"}}}]"""), Get("http://reviews/?q=a%20bc")));
        Assert.Equal("hit", Hit(WithRule("""[{"queryParams":{"id":{"regex":"[0-9]+"}}}]"""), Get("http://reviews/?id=42")));
        Assert.Equal("rest", Hit(WithRule("""[{"queryParams":{"id":{"regex":"[0-9]+"}}}]"""), Get("http://reviews/?id=42x")));
    }

    [Fact]
    public void Route_ConditionsInOneEntry_AreAnded()
    {
        var table = WithRule("""[{"uri":{"prefix":"/api"},"method":{"exact":"POST"}}]""");

        Assert.Equal("hit", Hit(table, Get("http://reviews/api", method: "POST")));
        Assert.Equal("rest", Hit(table, Get("http://reviews/api", method: "GET")));
        Assert.Equal("rest", Hit(table, Get("http://reviews/other", method: "POST")));
    }

    [Fact]
    public void Route_SeparateEntries_AreOred()
    {
        var table = WithRule("""[{"uri":{"prefix":"/api"}},{"method":{"exact":"POST"}}]""");

        Assert.Equal("hit", Hit(table, Get("http://reviews/api", method: "GET")));
        Assert.Equal("hit", Hit(table, Get("http://reviews/other", method: "POST")));
        Assert.Equal("rest", Hit(table, Get("http://reviews/other", method: "GET")));
    }

    [Fact]
    public void Route_OverlappingRules_FirstMatchWins()
    {
        var table = TestMesh.Table(
            [Service("reviews"), Service("a"), Service("b")],
            Vs("reviews", """
            {"hosts":["reviews"],"http":[
              {"name":"first","match":[{"uri":{"prefix":"/"}}],"route":[{"destination":{"host":"a"}}]},
              {"name":"second","match":[{"uri":{"prefix":"/api"}}],"route":[{"destination":{"host":"b"}}]}]}
            """));

        Assert.Equal("first", Forwarded(table.Route(Get("http://reviews/api"))).Actions.RouteName);
    }

    [Fact]
    public void Route_NoRuleMatches_IsNoRouteNamingTheVirtualService()
    {
        var table = TestMesh.Table(
            [Service("reviews")],
            Vs("reviews", """{"hosts":["reviews"],"http":[{"match":[{"uri":{"exact":"/only"}}],"route":[{"destination":{"host":"reviews"}}]}]}"""));

        var noRoute = Assert.IsType<NoRoute>(table.Route(Get("http://reviews/other")));

        Assert.Contains("default/reviews", noRoute.Reason, StringComparison.Ordinal);
        Assert.Contains("reviews.default.svc.cluster.local", noRoute.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_SourceLabelsAndNamespace_AreCheckedAgainstTheSidecar()
    {
        const string Match = """[{"sourceLabels":{"app":"productpage","version":"v1"},"sourceNamespace":"default"}]""";

        Assert.Equal("hit", Hit(WithRule(Match, Self("default", ("app", "productpage"), ("version", "v1"), ("extra", "x"))), Get("http://reviews/")));
        Assert.Equal("rest", Hit(WithRule(Match, Self("default", ("app", "productpage"), ("version", "v2"))), Get("http://reviews/")));
        Assert.Equal("rest", Hit(WithRule("""[{"sourceNamespace":"prod"}]"""), Get("http://reviews/")));
    }

    [Fact]
    public void Route_MatchGateways_OnlyMeshAppliesToSidecars()
    {
        Assert.Equal("rest", Hit(WithRule("""[{"gateways":["ingress"]}]"""), Get("http://reviews/")));
        Assert.Equal("hit", Hit(WithRule("""[{"gateways":["mesh"]}]"""), Get("http://reviews/")));
    }

    [Fact]
    public void Build_RegexThatDoesNotCompile_IsFatalAndNamesTheField()
    {
        var build = Build(
            [Service("reviews")],
            [Vs("reviews", """{"hosts":["reviews"],"http":[{"match":[{"uri":{"regex":"(unclosed"}}],"route":[{"destination":{"host":"reviews"}}]}]}""")]);

        Assert.True(build.IsFatal);
        Assert.Contains("spec.http[0].match[0].uri", build.NackReason, StringComparison.Ordinal);
    }
}
