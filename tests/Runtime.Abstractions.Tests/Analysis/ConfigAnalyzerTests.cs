using System.Text.Json;
using Runtime.Abstractions.Analysis;
using Runtime.Abstractions.Resources;
using static Runtime.Abstractions.Tests.Analysis.Analyze;

namespace Runtime.Abstractions.Tests.Analysis;

public class ConfigAnalyzerTests
{
    private const string Rule = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews}
        spec:
          host: reviews
          subsets: [{name: v1, labels: {version: v1}}]
        ---

        """;

    [Fact]
    public void Analyze_IdenticalRepeat_NotReported()
    {
        var report = Offline(Rule + Rule);

        Assert.Empty(report.Findings);
        Assert.Equal(1, report.ResourceCount);
    }

    [Fact]
    public void Analyze_RepeatWithOtherContent_EarlierDefinitionReportedAndIgnored()
    {
        var report = Offline(Rule + Rule.Replace("{name: v1, labels: {version: v1}}", "{name: v2, labels: {version: v2}}") + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http: [{route: [{destination: {host: reviews, subset: v1}}]}]
            """);

        Assert.Equal([AnalysisCodes.DuplicateResource, AnalysisCodes.SubsetNotDefined], Codes(report));
        Assert.Equal(1, report.Findings[0].Line);
        Assert.Contains("is defined again at test.yaml:8 with different content", report.Findings[0].Message);
        Assert.Contains("(it defines v2)", report.Findings[1].Message);
    }

    [Fact]
    public void Analyze_ResourcesWithoutPositions_FindingsHaveNoSourceOrLine()
    {
        var read = Read(Rule + "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec: {hosts: [r], http: [{route: [{destination: {host: r, subset: v9}}]}]}\n");
        var unlocated = read.Input with { Resources = [.. read.Input.Resources.Select(r => new LocatedResource { Resource = r.Resource })] };

        var finding = Assert.Single(ConfigAnalyzer.Analyze(unlocated).Findings);

        Assert.Null(finding.Source);
        Assert.Null(finding.Line);
        Assert.StartsWith("Error [MSH0201] (VirtualService default/r) spec.http[0].route[0].destination.subset: subset \"v9\"", finding.ToString());
    }

    [Fact]
    public void Codes_EveryCodeUniqueAndLevelFixed()
    {
        Assert.Equal(AnalysisCodes.All.Count, AnalysisCodes.All.Select(c => c.Code).Distinct().Count());
        Assert.All(AnalysisCodes.All, c => Assert.Matches("^MSH[0-9]{4}$", c.Code));
        Assert.Equal(FindingLevel.Error, AnalysisCodes.LevelOf(AnalysisCodes.DestinationHostNotFound));
        Assert.Throws<ArgumentException>(() => AnalysisCodes.LevelOf("MSH9999"));
    }

    [Fact]
    public void FindingDocuments_JsonAndYaml_CarryEveryField()
    {
        var report = Offline(Rule + "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec: {hosts: [r], http: [{route: [{destination: {host: r, subset: v9}}]}]}\n");

        using var json = JsonDocument.Parse(FindingDocuments.ToJson(report.Findings));
        var item = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("MSH0201", item.GetProperty("code").GetString());
        Assert.Equal("Error", item.GetProperty("level").GetString());
        Assert.Equal("VirtualService", item.GetProperty("kind").GetString());
        Assert.Equal("default", item.GetProperty("namespace").GetString());
        Assert.Equal("test.yaml", item.GetProperty("source").GetString());
        Assert.Equal(11, item.GetProperty("line").GetInt32());
        Assert.Equal("spec.http[0].route[0].destination.subset", item.GetProperty("path").GetString());
        Assert.StartsWith("create a DestinationRule", item.GetProperty("fix").GetString(), StringComparison.Ordinal);

        var yaml = FindingDocuments.ToYaml(report.Findings);
        Assert.Contains("- code: MSH0201", yaml);
        Assert.Contains("  path: spec.http[0].route[0].destination.subset", yaml);
    }

    [Fact]
    public void Read_InvalidManifest_IssuesAsValidateReportsThem()
    {
        var read = ManifestAnalysis.Read([("bad.yaml", "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec: {hosts: [x], http: [{route: [{destination: {host: x}, weight: -5}]}]}\n")], null);

        Assert.True(read.HasErrors);
        Assert.Equal(ManifestReader.Read("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\nspec: {hosts: [x], http: [{route: [{destination: {host: x}, weight: -5}]}]}\n", "bad.yaml").Issues, read.Issues);
    }

    [Fact]
    public void Read_KubernetesObjects_SkipWarningDroppedOnlyForThoseTheAnalysisReads()
    {
        var read = ManifestAnalysis.Read([("k8s.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: ratings}
            spec: {selector: {app: ratings}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {a: b}
            """)], null);

        var issue = Assert.Single(read.Issues);
        Assert.Equal("ConfigMap", issue.Kind);
        Assert.Equal("ratings.default.svc.cluster.local", Assert.Single(read.Input.Services).Host);
    }
}
