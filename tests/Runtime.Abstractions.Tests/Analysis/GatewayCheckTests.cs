using Runtime.Abstractions.Analysis;
using static Runtime.Abstractions.Tests.Analysis.Analyze;

namespace Runtime.Abstractions.Tests.Analysis;

public class GatewayCheckTests
{
    private const string Gateway = """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
            - port: {number: 80, name: http, protocol: HTTP}
              hosts: ["shop/*.example.com", "./admin.example.com"]
        ---

        """;

    private static string Vs(string ns, string host, string gateways, string matchGateways = "[mesh]") => Gateway + $$$"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: front, namespace: {{{ns}}}}
        spec:
          hosts: [{{{host}}}]
          gateways: {{{gateways}}}
          http:
            - match: [{gateways: {{{matchGateways}}}}]
              route: [{destination: {host: front.shop.svc.cluster.local}}]
        """;

    [Theory]
    [InlineData("[istio-system/public]")]
    [InlineData("[public.istio-system.svc.cluster.local]")]
    [InlineData("[mesh, istio-system/public]")]
    public void Analyze_ExistingGatewayAcceptingTheHost_NoFinding(string gateways)
    {
        var report = Offline(Vs("shop", "www.example.com", gateways, "[istio-system/public]"));

        Assert.True(report.Findings.Count == 0, Describe(report));
    }

    [Fact]
    public void Analyze_ShortNameResolvesInTheVirtualServiceNamespace_MissingWithFixNamingTheRealOne()
    {
        var report = Offline(Vs("shop", "www.example.com", "[public]"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.GatewayNotFound, finding.Code);
        Assert.Equal(FindingLevel.Error, finding.Level);
        Assert.Equal("spec.gateways[0]", finding.Path);
        Assert.Equal(15, finding.Line);
        Assert.Contains("Gateway shop/public does not exist (a short name is looked up in the VirtualService's namespace shop)", finding.Message);
        Assert.Contains("write \"istio-system/public\"", finding.Fix);
    }

    [Fact]
    public void Analyze_MissingGatewayInAMatch_Reported()
    {
        var report = Offline(Vs("shop", "www.example.com", "[istio-system/public]", "[istio-system/private]"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal("spec.http[0].match[0].gateways[0]", finding.Path);
        Assert.Contains("create Gateway istio-system/private", finding.Fix);
    }

    [Theory]
    [InlineData("shop", "www.example.org")]
    [InlineData("other", "www.example.com")]
    [InlineData("other", "admin.example.com")]
    public void Analyze_HostTheGatewayDoesNotAccept_Warning(string ns, string host)
    {
        var report = Offline(Vs(ns, host, "[istio-system/public]", "[istio-system/public]"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.HostNotInGateway, finding.Code);
        Assert.Equal("spec.hosts[0]", finding.Path);
        Assert.Contains("Gateway istio-system/public (spec.gateways[0]), which accepts shop/*.example.com, ./admin.example.com", finding.Message);
    }

    [Fact]
    public void Analyze_GatewayNamespaceDotMatchesItsOwnNamespace()
    {
        var report = Offline(Vs("istio-system", "admin.example.com", "[public]", "[public]"));

        Assert.True(report.Findings.Count == 0, Describe(report));
    }
}
