using Runtime.Silo.Hosting;

namespace Runtime.Silo.Tests.Traffic;

/// <summary><c>--prometheus-url</c> / <c>MESH_PROMETHEUS_URL</c>: read from flag or variable, checked naming both.</summary>
public sealed class PrometheusUrlTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Parse_FlagOverVariable_Taken()
    {
        var environment = new Dictionary<string, string?> { ["MESH_PROMETHEUS_URL"] = "http://from-env:9090" };

        var fromFlag = SiloCommandLine.Parse(["--prometheus-url", "http://prometheus:9090"], environment);
        var fromVariable = SiloCommandLine.Parse([], environment);
        var unset = SiloCommandLine.Parse([], NoEnvironment);

        Assert.Equal("http://prometheus:9090", fromFlag.Options.PrometheusUrl);
        Assert.Equal("http://from-env:9090", fromVariable.Options.PrometheusUrl);
        Assert.Null(unset.Options.PrometheusUrl);
        Assert.Contains("--prometheus-url", SiloCommandLine.HelpText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://prometheus:9090")]
    [InlineData("https://metrics.example.com/prometheus/")]
    public void Validate_HttpUrl_Accepted(string url) =>
        Assert.True(new SiloOptionsValidator().Validate(null, new SiloOptions { PrometheusUrl = url }).Succeeded);

    [Theory]
    [InlineData("prometheus:9090")]
    [InlineData("ftp://prometheus:9090")]
    [InlineData("not a url")]
    public void Validate_NotAnHttpUrl_ErrorNamesFlagAndVariable(string url)
    {
        var result = new SiloOptionsValidator().Validate(null, new SiloOptions { PrometheusUrl = url });

        Assert.Equal(
            $"--prometheus-url (MESH_PROMETHEUS_URL): '{url}' is not an http or https URL; use for example http://prometheus:9090",
            Assert.Single(result.Failures!));
    }

    [Fact]
    public void Validate_QueryString_ErrorAsksForTheBaseUrl()
    {
        var result = new SiloOptionsValidator().Validate(null, new SiloOptions { PrometheusUrl = "http://prometheus:9090/api/v1/query?query=up" });

        Assert.Contains("has a query or fragment; give Prometheus' base URL", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }
}
