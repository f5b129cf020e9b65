using Runtime.Abstractions.Analysis;
using static Runtime.Abstractions.Tests.Analysis.Analyze;

namespace Runtime.Abstractions.Tests.Analysis;

public class ShadowedRouteCheckTests
{
    private const string Routes = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
            - FIRST
              route: [{destination: {host: reviews}}]
            - match: [{uri: {prefix: /api}}]
              route: [{destination: {host: reviews}}]
            - route: [{destination: {host: reviews}}]
        """;

    [Theory]
    [InlineData("name: no-match", "has no match")]
    [InlineData("match: [{uri: {prefix: /}}]", "matches every path (uri prefix \"/\")")]
    [InlineData("match: [{uri: {regex: \".*\"}, ignoreUriCase: true}]", "matches every path (uri regex \".*\")")]
    [InlineData("match: [{headers: {x-canary: {exact: \"true\"}}}, {name: rest}]", "has a match with no condition")]
    public void Analyze_CatchAllFirst_EveryLaterRuleReported(string first, string why)
    {
        var report = Offline(Routes.Replace("FIRST", first));

        Assert.Equal(["spec.http[1]", "spec.http[2]"], report.Findings.Select(f => f.Path));
        Assert.All(report.Findings, f => Assert.Equal(AnalysisCodes.RouteShadowed, f.Code));
        Assert.Contains($"spec.http[0] before it {why}", report.Findings[0].Message);
        Assert.Equal(9, report.Findings[0].Line);
    }

    [Theory]
    [InlineData("match: [{uri: {prefix: /}, headers: {x-canary: {exact: \"true\"}}}]")]
    [InlineData("match: [{uri: {prefix: /}, port: 8080}]")]
    [InlineData("match: [{uri: {prefix: /v1}}]")]
    [InlineData("match: [{uri: {exact: /}}]")]
    [InlineData("match: [{uri: {prefix: /}, gateways: [mesh]}]")]
    public void Analyze_NarrowedFirstRuleAndCatchAllLast_NoFinding(string first)
    {
        var report = Offline(Routes.Replace("FIRST", first));

        Assert.True(report.Findings.Count == 0, Describe(report));
    }

    [Fact]
    public void Analyze_TcpRouteWithoutMatchFirst_LaterTcpRuleReported()
    {
        var report = Offline("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: db}
            spec:
              hosts: [db]
              tcp:
                - route: [{destination: {host: db, port: {number: 5432}}}]
                - match: [{port: 5433}]
                  route: [{destination: {host: db, port: {number: 5433}}}]
            """);

        Assert.Equal("spec.tcp[1]", Assert.Single(report.Findings).Path);
    }
}
