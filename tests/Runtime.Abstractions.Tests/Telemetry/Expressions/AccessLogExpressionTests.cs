using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Telemetry.Expressions;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Telemetry.Expressions;

/// <summary>The access-log filter subset: what parses, how it evaluates, and where an unsupported one fails.</summary>
public sealed class AccessLogExpressionTests
{
    private static readonly RequestAttributes Debug = new()
    {
        ResponseCode = 503,
        ResponseFlags = "UH",
        Method = "POST",
        Path = "/api/v1/ratings?x=1",
        Host = "ratings:9080",
        Protocol = "HTTP/2",
        Mtls = true,
        SourcePrincipal = "spiffe://cluster.local/ns/default/sa/productpage",
        DestinationPrincipal = "spiffe://cluster.local/ns/default/sa/ratings",
        UpstreamCluster = "outbound|9080|v1|ratings.default.svc.cluster.local",
        Headers = new Dictionary<string, string> { ["x-debug"] = "on", ["user-agent"] = "curl/8.5" },
    };

    [Theory]
    [InlineData("response.code >= 500", true)]
    [InlineData("response.code==503", true)]
    [InlineData(" response.code < 500 ", false)]
    [InlineData("response.code != 503", false)]
    [InlineData("response.code >= 400 && response.code < 500", false)]
    [InlineData("response.code >= 400 || request.method == 'GET'", true)]
    [InlineData("response.flags != '-'", true)]
    [InlineData("response.flags == \"UH\"", true)]
    [InlineData("response.flags in ['UH', 'UF', 'URX']", true)]
    [InlineData("response.code in [200, 204]", false)]
    [InlineData("request.method == 'POST' && request.path == '/api/v1/ratings?x=1'", true)]
    [InlineData("request.host == 'ratings:9080'", true)]
    [InlineData("request.protocol == 'HTTP/2'", true)]
    [InlineData("request.headers['x-debug'] == 'on'", true)]
    [InlineData("request.headers[\"user-agent\"] != 'curl/8.5'", false)]
    [InlineData("request.headers['x-absent'] == ''", true)]
    [InlineData("has(request.headers['x-debug'])", true)]
    [InlineData("!has(request.headers['x-absent'])", true)]
    [InlineData("has(request.headers['x-absent'])", false)]
    [InlineData("connection.mtls", true)]
    [InlineData("!connection.mtls", false)]
    [InlineData("connection.mtls == false", false)]
    [InlineData("source.principal == 'spiffe://cluster.local/ns/default/sa/productpage'", true)]
    [InlineData("destination.principal == 'spiffe://cluster.local/ns/default/sa/reviews'", false)]
    [InlineData("upstream.cluster == 'outbound|9080|v1|ratings.default.svc.cluster.local'", true)]
    [InlineData("!(response.code < 500 || request.method == 'GET') && (has(request.headers['x-debug']))", true)]
    [InlineData("true", true)]
    [InlineData("false || false", false)]
    [InlineData("request.path > '/api'", true)]
    [InlineData("response.code > -1", true)]
    public void Parse_Supported_EvaluatesAsCel(string expression, bool logged) =>
        Assert.Equal(logged, AccessLogExpression.Parse(expression).Matches(Debug));

    [Fact]
    public void Matches_AbsentHeaderAndNoFlags_ComparesAsEmptyAndDash()
    {
        var filter = AccessLogExpression.Parse("request.headers['x-debug'] == 'on' || response.flags != '-'");

        Assert.False(filter.Matches(new RequestAttributes()));
        Assert.True(filter.Matches(new RequestAttributes { ResponseFlags = "DC" }));
        Assert.True(filter.Matches(new RequestAttributes { Headers = new Dictionary<string, string> { ["x-debug"] = "on" } }));
    }

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("response.duration > 100", 1, "unsupported 'response.duration'")]
    [InlineData("response.code >= abc", 18, "unsupported 'abc'")]
    [InlineData("response.code >= '500'", 15, "'>=' compares an int with a string")]
    [InlineData("request.method == 2", 16, "'==' compares a string with an int")]
    [InlineData("response.code", 1, "is an int, not a condition")]
    [InlineData("response.code >= 400 & response.code < 500", 22, "unsupported '&'")]
    [InlineData("response.code >= 400 && request.method", 22, "'&&' needs conditions on both sides, not a string")]
    [InlineData("request.url_path.startsWith('/api')", 1, "unsupported 'request.url_path.startsWith'")]
    [InlineData("request.headers['X-Debug'] == 'on'", 1, "must be non-empty and lower-case")]
    [InlineData("request.headers[x] == 'on'", 1, "indexed by a quoted name")]
    [InlineData("request.method == 'GET", 19, "not closed")]
    [InlineData("(response.code == 200", 22, "ends where ')' was expected")]
    [InlineData("connection.mtls > true", 17, "does not apply to bools")]
    [InlineData("response.code in ['a']", 19, "'in' looks for an int in a list holding a string")]
    [InlineData("response.code in [response.code]", 19, "literals only")]
    [InlineData("has(request.method)", 5, "has() takes request.headers['name'] only")]
    [InlineData("response.code == 99999999999", 18, "out of range")]
    [InlineData("response.code == 200 200", 22, "unsupported '200'")]
    public void Parse_Unsupported_NamesColumnAndToken(string expression, int column, string message)
    {
        var error = Assert.Throws<AccessLogExpressionException>(() => AccessLogExpression.Parse(expression));

        Assert.Equal(column, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownAttribute_ListsWhatIsSupported()
    {
        var error = Assert.Throws<AccessLogExpressionException>(() => AccessLogExpression.Parse("response.grpc_status == 2"));

        Assert.Contains(AccessLogExpression.Supported, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_CommonShapes_AllocateNothing()
    {
        var filter = AccessLogExpression.Parse("(response.code >= 500 || response.flags in ['UH', 'UF']) && request.headers['x-debug'] == 'on' && connection.mtls");
        Assert.True(filter.Matches(Debug));

        // The runtime may allocate a few bytes once (tiered compilation); a per-evaluation allocation would be 10,000+.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var logged = 0;
        for (var i = 0; i < 10_000; i++)
        {
            logged += filter.Matches(Debug) ? 1 : 0;
        }

        Assert.Equal(10_000, logged);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 2_000);
    }

    [Fact]
    public void Read_TelemetryWithBadFilter_IsAnErrorNamingFieldAndColumn()
    {
        const string Yaml = """
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: errors, namespace: default}
            spec:
              accessLogging:
                - filter: {expression: "response.code >= 500 && request.method == 1"}
                - filter: {expression: "response.code >= 500 && has(request.headers['x-debug'])"}
            """;

        var result = ManifestReader.Read(Yaml, "telemetry.yaml");

        var issue = Assert.Single(result.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal("spec.accessLogging[0].filter.expression", issue.Path);
        Assert.Contains("filter expression 'response.code >= 500 && request.method == 1' at column 40: '==' compares a string with an int", issue.Message, StringComparison.Ordinal);
    }
}
