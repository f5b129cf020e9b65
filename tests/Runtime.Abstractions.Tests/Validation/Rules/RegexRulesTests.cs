using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Validation.Rules;

public class RegexRulesTests
{
    [Theory]
    [InlineData("^/(?=admin)", "'(?='")]
    [InlineData("^/(?!admin)", "'(?!'")]
    [InlineData("(?<=a)b", "'(?<='")]
    [InlineData("(?<!a)b", "'(?<!'")]
    [InlineData("(a)\\1", "backreference")]
    [InlineData("(?>ab)", "'(?>'")]
    [InlineData("a++", "possessive")]
    [InlineData("a{2}+", "possessive")]
    [InlineData("a{1001}", "repeat count above 1000")]
    [InlineData("^/(admin", "invalid")]
    [InlineData("[b-a]", "invalid")]
    [InlineData("abc\\Z", "\\Z")]
    public void Read_RegexRe2Rejects_ReportsError(string regex, string fragment)
    {
        var result = ManifestReader.Read(Route(regex), "vs.yaml");

        var error = Assert.Single(result.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Equal("spec.http[0].match[0].uri.regex", error.Path);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(?P<name>[a-z]+)-(?P<id>[0-9]+)")]
    [InlineData("\\pL\\PN\\pZ")]
    [InlineData("\\p{Greek}+\\P{Latin}\\p{^Cyrillic}")]
    [InlineData("[\\p{Han}\\d]+")]
    [InlineData("\\Q(literal)*+\\E$")]
    [InlineData("(?U)a+b")]
    [InlineData("(?iU:a+)b")]
    [InlineData("[[:alpha:][:^digit:]]+")]
    [InlineData("\\x{1F600}|\\x{41}")]
    [InlineData("a\\Cb")]
    [InlineData("[]a]")]
    [InlineData("x{3,}y*?z+?")]
    [InlineData("a{")]
    public void Read_RegexRe2Accepts_ReportsNoError(string regex)
    {
        var result = ManifestReader.Read(Route(regex), "vs.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
    }

    [Fact]
    public void Read_RegexOver1024Characters_ReportsError()
    {
        var result = ManifestReader.Read(Route(new string('a', 1025)), "vs.yaml");

        Assert.Contains(result.Issues, i => i.Severity == IssueSeverity.Error && i.Message.Contains("at most 1024", StringComparison.Ordinal));
    }

    private static string Route(string regex) => $$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: r}
        spec:
          hosts: [r]
          http:
            - match:
                - uri: {regex: '{{regex.Replace("'", "''", StringComparison.Ordinal)}}'}
              route:
                - destination: {host: r}
        """;
}
