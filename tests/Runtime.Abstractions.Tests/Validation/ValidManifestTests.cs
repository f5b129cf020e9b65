using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Validation;

public class ValidManifestTests
{
    private const string Route = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts: [reviews]
          GATEWAYS
          http:
            - match:
                - MATCH
              route:
                - destination: {host: reviews}
        """;

    [Fact]
    public void Read_IstioAcceptedFixture_HasNoErrors()
    {
        var result = ManifestReader.Read(FixtureFiles.Read("valid", "istio-accepted.yaml"), "istio-accepted.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Equal(9, result.Resources.Count);
    }

    [Theory]
    [InlineData("gateways: [istio-system/gw]", "headers: {\"@request.auth.claims.group\": {exact: admin}}")]
    [InlineData("gateways: [gw]", "headers: {\"@request.auth.claims[a][b]\": {exact: x}}")]
    [InlineData("gateways: [gw]", "withoutHeaders: {\"@request.auth.claims.nested.key\": {exact: x}}")]
    [InlineData("", "uri: {prefix: /api}")]
    [InlineData("", "uri: {regex: \"(?i)^/api/(?P<v>v[0-9]+)$\"}")]
    [InlineData("", "uri: {regex: \"^/\\\\p{Han}+$\"}")]
    [InlineData("", "uri: {regex: \"^/[[:alpha:]]+\\\\x{263a}$\"}")]
    [InlineData("", "uri: {regex: \"^\\\\Q/a.b(c)\\\\E$\"}")]
    [InlineData("", "uri: {regex: \"^/a{2,1000}(?U:b+)$\"}")]
    [InlineData("", "uri: {regex: \"^\\\\12$\"}")]
    public void Read_HttpMatchIstioAccepts_HasNoErrors(string gateways, string match)
    {
        var result = ManifestReader.Read(Route.Replace("GATEWAYS", gateways).Replace("MATCH", match), "vs.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
    }

    [Theory]
    [InlineData("")]
    [InlineData("gateways: [mesh, gw]")]
    public void Read_JwtClaimRouteOnSidecars_ReportsGatewayOnlyError(string gateways)
    {
        var result = ManifestReader.Read(Route.Replace("GATEWAYS", gateways).Replace("MATCH", "headers: {\"@request.auth.claims.group\": {exact: admin}}"), "vs.yaml");

        var error = Assert.Single(result.Issues, i => i.Severity == IssueSeverity.Error);
        Assert.Contains("only works on gateways", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uri: {}", "matches everything")]
    [InlineData("uri: {regex: \"^/(\\\\w+)\\\\s\\\\d$\"}", null)]
    public void Read_EmptyStringMatch_IsWarningNotError(string match, string? warning)
    {
        var result = ManifestReader.Read(Route.Replace("GATEWAYS", "").Replace("MATCH", match), "vs.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        if (warning is not null)
        {
            Assert.Contains(result.Issues, i => i.Severity == IssueSeverity.Warning && i.Message.Contains(warning, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("spec:\n  selector: {matchLabels: {app: a}}\n  portLevelMtls:\n    8080: {}")]
    [InlineData("spec:\n  selector: {matchLabels: {app: a}}\n  portLevelMtls:\n    8080: {mode: UNSET}")]
    public void Read_PortLevelMtlsWithoutMode_IsAccepted(string spec)
    {
        var result = ManifestReader.Read("apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p}\n" + spec, "pa.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
    }

    [Theory]
    [InlineData("http")]
    [InlineData("HTTP_PROXY")]
    [InlineData("grpc-web")]
    [InlineData("Mongo")]
    [InlineData("UDP")]
    public void Read_GatewayProtocolAnyCase_IsAccepted(string protocol)
    {
        var yaml = $"apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {{name: g}}\nspec:\n  servers:\n    - port: {{number: 80, name: p, protocol: {protocol}}}\n      hosts: [\"*\"]";

        var result = ManifestReader.Read(yaml, "gw.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
    }

    [Theory]
    [InlineData("redirect: {uri: /x, redirectCode: 300}", false)]
    [InlineData("redirect: {uri: /x, redirectCode: 304}", false)]
    [InlineData("redirect: {uri: /x, redirectCode: 400}", true)]
    [InlineData("directResponse: {status: 600}", false)]
    [InlineData("directResponse: {status: 601}", true)]
    public void Read_RedirectAndDirectResponseCodes_FollowIstioRanges(string action, bool error)
    {
        var yaml = $"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: r}}\nspec:\n  hosts: [r]\n  http:\n    - {action}";

        var result = ManifestReader.Read(yaml, "vs.yaml");

        Assert.Equal(error, result.HasErrors);
    }

    [Theory]
    [InlineData("fault: {delay: {percentage: {value: 10}}}", "no delay is injected")]
    [InlineData("fault: {abort: {percentage: {value: 10}}}", "nothing is aborted")]
    public void Read_FaultWithoutType_IsWarningLikeIstio(string fault, string warning)
    {
        var yaml = $"apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {{name: r}}\nspec:\n  hosts: [r]\n  http:\n    - route: [{{destination: {{host: r}}}}]\n      {fault}";

        var result = ManifestReader.Read(yaml, "vs.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Contains(result.Issues, i => i.Severity == IssueSeverity.Warning && i.Message.Contains(warning, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("*foo.example.com", IssueSeverity.Warning)]
    [InlineData("api.example.com.", null)]
    public void Read_ServiceEntryHosts_FollowIstio(string host, IssueSeverity? severity)
    {
        var yaml = $"apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {{name: s}}\nspec:\n  hosts: [\"{host}\"]\n  ports: [{{number: 443, name: https, protocol: TLS}}]\n  resolution: NONE";

        var result = ManifestReader.Read(yaml, "se.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        Assert.Equal(severity, result.Issues.Select(i => (IssueSeverity?)i.Severity).FirstOrDefault());
    }

    [Fact]
    public void Read_GatewayPartialWildcardHost_ReportsError()
    {
        var yaml = "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: g}\nspec:\n  servers:\n    - port: {number: 80, name: http, protocol: HTTP}\n      hosts: [\"*foo.example.com\"]";

        var result = ManifestReader.Read(yaml, "gw.yaml");

        Assert.Contains(result.Issues, i => i.Severity == IssueSeverity.Error && i.Path == "spec.servers[0].hosts[0]");
    }
}
