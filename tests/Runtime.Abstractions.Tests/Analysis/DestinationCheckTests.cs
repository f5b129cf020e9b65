using Runtime.Abstractions.Analysis;
using static Runtime.Abstractions.Tests.Analysis.Analyze;

namespace Runtime.Abstractions.Tests.Analysis;

public class DestinationCheckTests
{
    private const string Ratings2 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: shop}
        spec:
          hosts: [reviews]
          http:
            - route:
                - destination:
                    host: ratings2
        """;

    [Fact]
    public void Analyze_OnlineUnknownShortHost_ErrorWithResolvedHostLineAndSuggestion()
    {
        var report = Online(Ratings2, Service("reviews", "shop"), Service("ratings", "shop"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.DestinationHostNotFound, finding.Code);
        Assert.Equal(FindingLevel.Error, finding.Level);
        Assert.Equal("spec.http[0].route[0].destination.host", finding.Path);
        Assert.Equal(9, finding.Line);
        Assert.Contains("\"ratings2\" (resolved to ratings2.shop.svc.cluster.local)", finding.Message);
        Assert.Contains("did you mean \"ratings.shop.svc.cluster.local\"", finding.Fix);
        Assert.Equal(
            $"Error [MSH0101] (VirtualService shop/reviews test.yaml:9) spec.http[0].route[0].destination.host: {finding.Message} (fix: {finding.Fix})",
            finding.ToString());
    }

    [Fact]
    public void Analyze_OfflineUnknownClusterHost_NotReportedButListedAsUnchecked()
    {
        var report = Offline(Ratings2);

        Assert.Empty(report.Findings);
        Assert.Equal(["ratings2.shop.svc.cluster.local"], report.UncheckedHosts);
    }

    [Fact]
    public void Analyze_ShortNameResolvesInTheVirtualServiceNamespace_ServiceOfOtherNamespaceDoesNotCount()
    {
        var report = Online(Ratings2.Replace("ratings2", "ratings"), Service("ratings", "default"));

        Assert.Equal([AnalysisCodes.DestinationHostNotFound], Codes(report));
        Assert.Contains("ratings.shop.svc.cluster.local", report.Findings[0].Message);
    }

    [Fact]
    public void Analyze_OfflineExternalHostWithoutServiceEntry_Error()
    {
        var report = Offline("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: payments}
            spec:
              hosts: [api.payments.example.com]
              ports: [{number: 443, name: https, protocol: TLS}]
              resolution: DNS
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: payments}
            spec:
              hosts: [api.payments.example.com]
              tls:
                - match: [{sniHosts: [api.payments.example.com]}]
                  route:
                    - destination: {host: api.payment.example.com}
            """);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.DestinationHostNotFound, finding.Code);
        Assert.Equal("spec.tls[0].route[0].destination.host", finding.Path);
        Assert.Contains("did you mean \"api.payments.example.com\"", finding.Fix);
    }

    [Fact]
    public void Analyze_WildcardServiceEntryAndKubernetesServiceInFiles_HostsKnown()
    {
        var report = Offline("""
            apiVersion: v1
            kind: Service
            metadata: {name: ratings, namespace: shop}
            spec:
              selector: {app: ratings}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: wiki}
            spec:
              hosts: ["*.wikipedia.org"]
              ports: [{number: 443, name: https, protocol: TLS}]
              resolution: NONE
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: front, namespace: shop}
            spec:
              hosts: [front]
              http:
                - match: [{uri: {prefix: /wiki}}]
                  route: [{destination: {host: en.wikipedia.org}}]
                  mirror: {host: ratings.shop.svc.cluster.local}
                - route: [{destination: {host: ratings}}]
            """);

        Assert.True(report.Findings.Count == 0, Describe(report));
        Assert.Empty(report.UncheckedHosts);
    }

    [Fact]
    public void Analyze_MirrorToUnknownHost_Reported()
    {
        var report = Online("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
                - route: [{destination: {host: reviews}}]
                  mirrors: [{destination: {host: reviews-shadow}}]
            """, Service("reviews", "default"));

        Assert.Equal("spec.http[0].mirrors[0].destination.host", Assert.Single(report.Findings).Path);
    }

    [Fact]
    public void Analyze_SubsetMissingFromRule_ErrorNamesTheRuleAndItsSubsets()
    {
        var report = Online("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
                - route:
                    - destination: {host: reviews, subset: v1}
                      weight: 50
                    - destination: {host: reviews.default.svc.cluster.local, subset: v3}
                      weight: 50
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: reviews}
            spec:
              host: reviews
              subsets:
                - {name: v1, labels: {version: v1}}
                - {name: v2, labels: {version: v2}}
            """, Service("reviews", "default", "version=v1", "version=v2"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.SubsetNotDefined, finding.Code);
        Assert.Equal("spec.http[0].route[1].destination.subset", finding.Path);
        Assert.Equal(10, finding.Line);
        Assert.Contains("not defined by DestinationRule default/reviews (it defines v1, v2)", finding.Message);
    }

    [Fact]
    public void Analyze_SubsetWithoutAnyRule_ErrorSaysNoRuleExists()
    {
        var report = Offline(Ratings2.Replace("host: ratings2", "host: ratings\n            subset: v1"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.SubsetNotDefined, finding.Code);
        Assert.Contains("no DestinationRule exists for that host", finding.Message);
    }

    [Fact]
    public void Analyze_SubsetDefinedByWildcardRule_Accepted()
    {
        var report = Offline("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews}
            spec:
              hosts: [reviews]
              http:
                - route: [{destination: {host: reviews, subset: v1}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: everything, namespace: istio-system}
            spec:
              host: "*.default.svc.cluster.local"
              subsets: [{name: v1, labels: {version: v1}}]
            """);

        Assert.True(report.Findings.Count == 0, Describe(report));
    }
}
