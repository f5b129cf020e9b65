using Runtime.Abstractions.Analysis;
using static Runtime.Abstractions.Tests.Analysis.Analyze;

namespace Runtime.Abstractions.Tests.Analysis;

public class HostConflictCheckTests
{
    private static string Vs(string name, string ns, string host, string gateways = "[]") => $"""
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {"{"}name: {name}, namespace: {ns}{"}"}
        spec:
          hosts: [{host}]
          gateways: {gateways}
          http:
            - route: [{"{"}destination: {"{"}host: reviews.shop.svc.cluster.local{"}"}{"}"}]
        ---

        """;

    [Fact]
    public void Analyze_SameHostForSidecarsFromTwoNamespacesAndSpellings_BothReported()
    {
        var report = Offline(Vs("reviews", "shop", "reviews") + Vs("reviews-canary", "ops", "reviews.shop.svc.cluster.local"));

        Assert.Equal([AnalysisCodes.ConflictingMeshVirtualServices, AnalysisCodes.ConflictingMeshVirtualServices], Codes(report));
        Assert.All(report.Findings, f => Assert.Equal(FindingLevel.Error, f.Level));
        Assert.Contains("also routed for sidecars by VirtualService ops/reviews-canary", report.Findings[0].Message);
        Assert.Contains("by VirtualService shop/reviews", report.Findings[1].Message);
        Assert.Equal("spec.hosts[0]", report.Findings[0].Path);
    }

    [Fact]
    public void Analyze_SameHostOnOneGateway_WarningPerVirtualService()
    {
        var gateway = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: public, namespace: edge}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
            ---

            """;
        var report = Offline(gateway + Vs("a", "shop", "shop.example.com", "[edge/public]") + Vs("b", "edge", "shop.example.com", "[public]"));

        Assert.Equal([AnalysisCodes.ConflictingGatewayVirtualServices, AnalysisCodes.ConflictingGatewayVirtualServices], Codes(report));
        Assert.Contains("on Gateway edge/public", report.Findings[0].Message);
    }

    [Fact]
    public void Analyze_SameHostInDifferentScopes_NoConflict()
    {
        var gateway = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: public, namespace: shop}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
            ---

            """;
        var report = Offline(gateway + Vs("a", "shop", "reviews") + Vs("b", "shop", "reviews", "[public]") + Vs("c", "shop", "ratings"));

        Assert.True(report.Findings.Count == 0, Describe(report));
    }
}
