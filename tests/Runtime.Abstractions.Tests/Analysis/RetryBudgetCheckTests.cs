using Runtime.Abstractions.Analysis;
using static Runtime.Abstractions.Tests.Analysis.Analyze;

namespace Runtime.Abstractions.Tests.Analysis;

public class RetryBudgetCheckTests
{
    private const string Route = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: api}
        spec:
          hosts: [api]
          http:
            - route: [{destination: {host: api}}]
              TIMEOUT
              retries: {attempts: 3, perTryTimeout: PERTRY}
        """;

    [Fact]
    public void Analyze_AttemptsTimesPerTryAboveTimeout_WarningWithArithmetic()
    {
        var report = Offline(Route.Replace("TIMEOUT", "timeout: 5s").Replace("PERTRY", "2s"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.RetriesExceedTimeout, finding.Code);
        Assert.Equal(FindingLevel.Warning, finding.Level);
        Assert.Equal("spec.http[0].retries.perTryTimeout", finding.Path);
        Assert.Equal(9, finding.Line);
        Assert.StartsWith("3 attempts × perTryTimeout 2s = 6s exceeds the route timeout 5s", finding.Message);
        Assert.Contains("only 2 full attempt(s) fit", finding.Message);
        Assert.Equal("raise timeout to at least 6s, or lower attempts or perTryTimeout", finding.Fix);
    }

    [Fact]
    public void Analyze_SubSecondBudget_FormattedInMilliseconds()
    {
        var report = Offline(Route.Replace("TIMEOUT", "timeout: 1s").Replace("PERTRY", "500ms"));

        Assert.Contains("= 1500ms exceeds the route timeout 1s", Assert.Single(report.Findings).Message);
    }

    [Theory]
    [InlineData("timeout: 6s", "2s")]
    [InlineData("name: no-timeout", "2s")]
    [InlineData("timeout: 1s", "250ms")]
    public void Analyze_BudgetFitsOrNoTimeout_NoFinding(string timeout, string perTry)
    {
        var report = Offline(Route.Replace("TIMEOUT", timeout).Replace("PERTRY", perTry));

        Assert.True(report.Findings.Count == 0, Describe(report));
    }
}
