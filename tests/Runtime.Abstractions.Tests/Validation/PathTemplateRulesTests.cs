using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Validation;

public class PathTemplateRulesTests
{
    [Theory]
    [InlineData("/api/{**}")]
    [InlineData("/a/{*}/b")]
    [InlineData("/{*}/items/{**}")]
    [InlineData("/api/*")]
    [InlineData("*/admin")]
    [InlineData("*")]
    [InlineData("/exact/path")]
    public void Read_PathIstioAccepts_ReportsNothing(string path)
    {
        var result = ManifestReader.Read(Policy(path), "ap.yaml");

        Assert.Empty(result.Issues);
    }

    [Theory]
    [InlineData("/api/{**}/{*}", "must be the last segment")]
    [InlineData("/api/{**}/{**}", "must be the last segment")]
    [InlineData("/api/{id}", "only whole segments")]
    [InlineData("/api/{}/x", "only whole segments")]
    [InlineData("/api/x{*}", "only whole segments")]
    [InlineData("/api/{*}/*", "not a plain URL path literal")]
    public void Read_PathTemplateIstioRejects_ReportsError(string path, string fragment)
    {
        var result = ManifestReader.Read(Policy(path), "ap.yaml");

        var error = Assert.Single(result.Issues);
        Assert.Equal(IssueSeverity.Error, error.Severity);
        Assert.Equal("spec.rules[0].to[0].operation.paths[0]", error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_StarInMiddleOfPlainPath_WarnsItIsLiteral()
    {
        var result = ManifestReader.Read(Policy("/a/*/b"), "ap.yaml");

        var warning = Assert.Single(result.Issues);
        Assert.Equal(IssueSeverity.Warning, warning.Severity);
        Assert.Contains("literal character '*'", warning.Message, StringComparison.Ordinal);
        Assert.Contains("{*}", warning.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("request.experimental.inline.headers[x-a]", false)]
    [InlineData("request.headers[:authority]", false)]
    [InlineData("source.serviceAccount", false)]
    [InlineData("request.headers[]", true)]
    [InlineData("request.headers", true)]
    [InlineData("source.ipx", true)]
    public void Read_ConditionKey_FollowsIstio(string key, bool error)
    {
        var yaml = $"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p}}\nspec:\n  rules:\n    - when:\n        - key: \"{key}\"\n          values: [v]";

        var result = ManifestReader.Read(yaml, "ap.yaml");

        Assert.Equal(error, result.HasErrors);
    }

    private static string Policy(string path) => $"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p}}\nspec:\n  rules:\n    - to:\n        - operation:\n            paths: [\"{path}\"]";
}
