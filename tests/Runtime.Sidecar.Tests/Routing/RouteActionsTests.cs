using Runtime.Sidecar.Routing;
using static Runtime.Sidecar.Tests.Routing.TestMesh;

namespace Runtime.Sidecar.Tests.Routing;

public class RouteActionsTests
{
    private static RouteActions Actions(string ruleJson, string url, IReadOnlyDictionary<string, string>? headers = null, string method = "GET") =>
        Forwarded(TestMesh.Table([Service("reviews"), Service("shadow")], Vs("reviews", $$"""{"hosts":["reviews"],"http":[{{ruleJson}}]}"""))
            .Route(Get(url, headers, method))).Actions;

    [Theory]
    [InlineData("""{"match":[{"uri":{"prefix":"/old"}}],"rewrite":{"uri":"/new"},"route":[{"destination":{"host":"reviews"}}]}""", "/old/page", "/new/page")]
    [InlineData("""{"match":[{"uri":{"prefix":"/OLD"},"ignoreUriCase":true}],"rewrite":{"uri":"/new"},"route":[{"destination":{"host":"reviews"}}]}""", "/old/page", "/new/page")]
    [InlineData("""{"match":[{"uri":{"exact":"/login"}}],"rewrite":{"uri":"/auth/login"},"route":[{"destination":{"host":"reviews"}}]}""", "/login", "/auth/login")]
    [InlineData("""{"match":[{"uri":{"regex":"/v[0-9]/.*"}}],"rewrite":{"uri":"/latest"},"route":[{"destination":{"host":"reviews"}}]}""", "/v1/items", "/latest")]
    [InlineData("""{"rewrite":{"uri":"/base/"},"route":[{"destination":{"host":"reviews"}}]}""", "/items", "/base/items")]
    [InlineData("""{"rewrite":{"uriRegexRewrite":{"match":"^/service/([^/]+)(/.*)$","rewrite":"\\2/instance/\\1"}},"route":[{"destination":{"host":"reviews"}}]}""", "/service/foo/v1/api", "/v1/api/instance/foo")]
    [InlineData("""{"route":[{"destination":{"host":"reviews"}}]}""", "/untouched", "/untouched")]
    public void RewritePath_FollowsTheMatchedPortion(string rule, string path, string expected)
    {
        var actions = Actions(rule, $"http://reviews{path}");

        Assert.Equal(expected, actions.RewritePath(Get($"http://reviews{path}")));
    }

    [Fact]
    public void RewritePath_OredEntries_EachRewritesItsOwnPrefix()
    {
        const string Rule = """{"match":[{"uri":{"prefix":"/a"}},{"uri":{"prefix":"/bb"}}],"rewrite":{"uri":"/x"},"route":[{"destination":{"host":"reviews"}}]}""";

        Assert.Equal("/x/1", Actions(Rule, "http://reviews/a/1").RewritePath(Get("http://reviews/a/1")));
        Assert.Equal("/x/1", Actions(Rule, "http://reviews/bb/1").RewritePath(Get("http://reviews/bb/1")));
    }

    [Fact]
    public void Actions_AuthorityRewriteTimeoutRetriesFault_AreCarried()
    {
        var actions = Actions("""
            {"name":"r","rewrite":{"authority":"reviews.internal"},"timeout":"3s","retries":{"attempts":2,"perTryTimeout":"1s","retryOn":"5xx"},
             "fault":{"abort":{"httpStatus":503,"percentage":{"value":1}}},"route":[{"destination":{"host":"reviews"}}]}
            """, "http://reviews/");

        Assert.Equal("reviews.internal", actions.AuthorityRewrite);
        Assert.Equal(TimeSpan.FromSeconds(3), actions.Timeout!.Value.Value);
        Assert.Equal(2, actions.Retries!.Attempts);
        Assert.Equal(503, actions.Fault!.Abort!.HttpStatus);
        Assert.Equal("default/reviews", actions.VirtualService);
    }

    [Fact]
    public void Actions_HeaderOperations_MergeRouteOverDestination()
    {
        var actions = Actions("""
            {"headers":{"request":{"set":{"x-env":"route","x-route":"1"},"add":{"x-trace":"route"},"remove":["x-a"]},
                        "response":{"remove":["server"]}},
             "route":[{"destination":{"host":"reviews"},
                       "headers":{"request":{"set":{"x-env":"destination","x-dest":"1"},"add":{"x-trace":"destination"},"remove":["x-b"]},
                                  "response":{"set":{"x-served-by":"reviews"}}}}]}
            """, "http://reviews/");

        var set = actions.RequestHeaders.Set.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("route", set["x-env"]);
        Assert.Equal("1", set["x-dest"]);
        Assert.Equal("1", set["x-route"]);
        Assert.Equal(["destination", "route"], actions.RequestHeaders.Add.Where(kv => kv.Key == "x-trace").Select(kv => kv.Value));
        Assert.Equal(["x-b", "x-a"], actions.RequestHeaders.Remove);
        Assert.Equal(["server"], actions.ResponseHeaders.Remove);
        Assert.Equal("reviews", actions.ResponseHeaders.Set.Single().Value);
    }

    [Fact]
    public void Actions_Mirrors_CarryClusterAndPercentage()
    {
        var actions = Actions("""
            {"route":[{"destination":{"host":"reviews"}}],
             "mirrors":[{"destination":{"host":"shadow","port":{"number":8080}},"percentage":{"value":25}},
                        {"destination":{"host":"shadow","subset":"v2"}}]}
            """, "http://reviews:9080/");

        Assert.Equal(2, actions.Mirrors.Count);
        Assert.Equal(new ClusterKey("shadow.default.svc.cluster.local", null, 8080), actions.Mirrors[0].Cluster);
        Assert.Equal(25, actions.Mirrors[0].Percentage);
        Assert.Equal(new ClusterKey("shadow.default.svc.cluster.local", "v2", 9080), actions.Mirrors[1].Cluster);
        Assert.Equal(100, actions.Mirrors[1].Percentage);
    }

    [Fact]
    public void Actions_LegacyMirror_UsesMirrorPercentage()
    {
        var actions = Actions("""{"route":[{"destination":{"host":"reviews"}}],"mirror":{"host":"shadow"},"mirrorPercentage":{"value":10.5}}""", "http://reviews/");

        Assert.Equal(10.5, Assert.Single(actions.Mirrors).Percentage);
    }

    [Fact]
    public void MirrorTarget_ShouldMirror_RespectsPercentageWithinTolerance()
    {
        var mirror = new MirrorTarget(new ClusterKey("shadow", null, 80), 25);

        var mirrored = Enumerable.Range(0, 20_000).Count(_ => mirror.ShouldMirror());

        Assert.InRange(mirrored / 20_000.0, 0.22, 0.28);
        Assert.False(new MirrorTarget(mirror.Cluster, 0).ShouldMirror());
    }

    private const string CorsRule = """
        {"corsPolicy":{"allowOrigins":[{"exact":"https://app.example.com"},{"regex":"https://.*\\.partner\\.com"}],
                       "allowMethods":["GET","POST"],"allowHeaders":["x-token"],"exposeHeaders":["x-request-id"],
                       "maxAge":"24h","allowCredentials":true},
         "route":[{"destination":{"host":"reviews"}}]}
        """;

    [Fact]
    public void Cors_PreflightFromAllowedOrigin_IsAnsweredWithPolicyHeaders()
    {
        var headers = new Dictionary<string, string> { ["Origin"] = "https://a.partner.com", ["Access-Control-Request-Method"] = "POST" };
        var request = Get("http://reviews/", headers, "OPTIONS");

        var verdict = Actions(CorsRule, "http://reviews/", headers, "OPTIONS").Cors!.Evaluate(request);

        Assert.Equal(CorsOutcome.AnswerPreflight, verdict.Outcome);
        var h = verdict.ResponseHeaders.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("https://a.partner.com", h["access-control-allow-origin"]);
        Assert.Equal("GET,POST", h["access-control-allow-methods"]);
        Assert.Equal("x-token", h["access-control-allow-headers"]);
        Assert.Equal("86400", h["access-control-max-age"]);
        Assert.Equal("true", h["access-control-allow-credentials"]);
    }

    [Fact]
    public void Cors_PreflightFromOtherOrigin_IsForwardedWithoutHeaders()
    {
        var headers = new Dictionary<string, string> { ["Origin"] = "https://evil.com", ["Access-Control-Request-Method"] = "POST" };

        var verdict = Actions(CorsRule, "http://reviews/").Cors!.Evaluate(Get("http://reviews/", headers, "OPTIONS"));

        Assert.Equal(CorsOutcome.Forward, verdict.Outcome);
        Assert.Empty(verdict.ResponseHeaders);
    }

    [Fact]
    public void Cors_SimpleRequestFromAllowedOrigin_GetsOriginAndExposeHeaders()
    {
        var verdict = Actions(CorsRule, "http://reviews/").Cors!.Evaluate(Get("http://reviews/", new Dictionary<string, string> { ["origin"] = "https://app.example.com" }));

        Assert.Equal(CorsOutcome.Forward, verdict.Outcome);
        var h = verdict.ResponseHeaders.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("https://app.example.com", h["access-control-allow-origin"]);
        Assert.Equal("x-request-id", h["access-control-expose-headers"]);
        Assert.False(h.ContainsKey("access-control-allow-methods"));
    }

    [Fact]
    public void Cors_RequestWithoutOrigin_IsNotCors()
    {
        Assert.Equal(CorsOutcome.NotCors, Actions(CorsRule, "http://reviews/").Cors!.Evaluate(Get("http://reviews/")).Outcome);
    }
}
