using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Validation;

public class InvalidManifestTests
{
    public static TheoryData<string> Cases() => [.. Directory.GetFiles(FixtureFiles.Directory("invalid"), "*.yaml").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_InvalidDocument_ReportsExpectedPathAndMessage(string file)
    {
        var content = FixtureFiles.Read("invalid", file);
        var expectation = content.Split('\n')[0]["# expect: ".Length..].Split(" | ");
        var (path, fragment) = (expectation[0], expectation[1].Trim());

        var result = ManifestReader.Read(content, file);

        Assert.True(result.HasErrors, $"{file}: no errors; issues: {string.Join("; ", result.Issues)}");
        Assert.True(
            result.Issues.Any(i => i.Severity == IssueSeverity.Error && i.Path == path && (i.Message + " " + i.Fix).Contains(fragment, StringComparison.Ordinal)),
            $"{file}: expected an error at '{path}' containing '{fragment}', got:\n{string.Join("\n", result.Issues)}");
        Assert.All(result.Issues, i => Assert.True(i.Line is > 0, $"issue without line: {i}"));
    }

    [Fact]
    public void Read_DocumentWithManyProblems_ReportsAllOfThemAtOnce()
    {
        const string Yaml = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: Bad_Name
            spec:
              hosts: ["a.*.com"]
              http:
                - route:
                    - destination: {host: reviews}
                      weight: -5
                  redirect: {uri: /x, redirectCode: 200}
                  timeout: 100us
                  retries: {attempts: -2, perTryTimout: 1s}
                - match:
                    - uri: {exact: /a, prefix: /b}
                  fault: {}
                  route:
                    - destination: {host: ""}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
            spec:
              host: reviews
              subsets:
                - name: v1
                - name: v1
            """;

        var result = ManifestReader.Read(Yaml, "many.yaml");

        string[] expected =
        [
            "metadata.name", "spec.hosts[0]", "spec.http[0]", "spec.http[0].route[0].weight", "spec.http[0].redirect.redirectCode",
            "spec.http[0].timeout", "spec.http[0].retries.attempts", "spec.http[0].retries.perTryTimout", "spec.http[1].match[0].uri",
            "spec.http[1].fault", "spec.http[1].route[0].destination.host", "spec.subsets[1].name",
        ];
        var errors = result.Issues.Where(i => i.Severity == IssueSeverity.Error).Select(i => i.Path).ToHashSet();
        Assert.All(expected, path => Assert.Contains(path, errors));
        var weight = Assert.Single(result.Issues, i => i.Path == "spec.http[0].route[0].weight");
        Assert.Equal(10, weight.Line);
        Assert.Equal("VirtualService", weight.Kind);
        Assert.Equal("Bad_Name", weight.Name);
        Assert.Equal("many.yaml", weight.Source);
        Assert.Equal(1, result.Issues.Single(i => i.Path == "spec.subsets[1].name").Document);
    }
}
