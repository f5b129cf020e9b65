using Runtime.Abstractions.Analysis;
using static Runtime.Abstractions.Tests.Analysis.Analyze;

namespace Runtime.Abstractions.Tests.Analysis;

public class DestinationRuleCheckTests
{
    private const string Rule = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: shop}
        spec:
          host: reviews
          subsets:
            - name: v1
              labels: {version: v1}
            - name: v3
              labels: {version: v3}
        """;

    [Fact]
    public void Analyze_OnlineRuleForUnknownHost_Warning()
    {
        var report = Online(Rule, Service("ratings", "shop", "version=v1"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.DestinationRuleHostNotFound, finding.Code);
        Assert.Equal(FindingLevel.Warning, finding.Level);
        Assert.Equal("spec.host", finding.Path);
        Assert.Equal(5, finding.Line);
        Assert.Contains("reviews.shop.svc.cluster.local", finding.Message);
    }

    [Fact]
    public void Analyze_OfflineRuleForUndeclaredClusterHost_Unchecked()
    {
        var report = Offline(Rule);

        Assert.Empty(report.Findings);
        Assert.Equal(["reviews.shop.svc.cluster.local"], report.UncheckedHosts);
    }

    [Fact]
    public void Analyze_SubsetSelectingNoEndpoint_WarningListsTheLabelsSeen()
    {
        var report = Online(Rule, Service("reviews", "shop", "app=reviews,version=v1", "app=reviews,version=v2"));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.SubsetSelectsNoEndpoints, finding.Code);
        Assert.Equal("spec.subsets[1].labels", finding.Path);
        Assert.Equal(10, finding.Line);
        Assert.Contains("subset \"v3\" selects none of the 2 endpoint(s)", finding.Message);
        Assert.Contains("they have version=v1, version=v2", finding.Message);
    }

    [Fact]
    public void Analyze_OfflineSubsetCheckedAgainstWorkloadsInTheFiles()
    {
        var report = Offline(Rule + """

            ---
            apiVersion: v1
            kind: Service
            metadata: {name: reviews, namespace: shop}
            spec:
              selector: {app: reviews}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: reviews-v1, namespace: shop}
            spec:
              template:
                metadata:
                  labels: {app: reviews, version: v1}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: ratings-v3, namespace: shop}
            spec:
              template:
                metadata:
                  labels: {app: ratings, version: v3}
            """);

        Assert.Equal([AnalysisCodes.SubsetSelectsNoEndpoints], Codes(report));
        Assert.Contains("\"v3\" selects none of the 1 endpoint(s)", report.Findings[0].Message);
    }

    [Fact]
    public void Analyze_ServiceWithoutKnownEndpoints_SubsetsNotJudged()
    {
        var report = Online(Rule, Service("reviews", "shop"));

        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Analyze_WildcardRuleCoveringAServiceEntry_Accepted()
    {
        var report = Online("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: wiki}
            spec:
              hosts: [en.wikipedia.org]
              ports: [{number: 443, name: https, protocol: TLS}]
              resolution: DNS
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: wiki}
            spec:
              host: "*.wikipedia.org"
              trafficPolicy: {tls: {mode: SIMPLE}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: other}
            spec:
              host: "*.wikimedia.org"
            """);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.DestinationRuleHostNotFound, finding.Code);
        Assert.Equal("other", finding.Resource.Name);
    }

    [Fact]
    public void Analyze_SubsetOfServiceEntryEndpoints_CheckedOffline()
    {
        var report = Offline("""
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: legacy}
            spec:
              hosts: [legacy.corp.example]
              ports: [{number: 8080, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints:
                - {address: 10.1.0.1, labels: {zone: a}}
                - {address: 10.1.0.2, labels: {zone: b}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: legacy}
            spec:
              host: legacy.corp.example
              subsets:
                - {name: a, labels: {zone: a}}
                - {name: c, labels: {zone: c}}
            """);

        var finding = Assert.Single(report.Findings);
        Assert.Equal(AnalysisCodes.SubsetSelectsNoEndpoints, finding.Code);
        Assert.Equal("spec.subsets[1].labels", finding.Path);
        Assert.Contains("none of the 2 endpoint(s) of legacy.corp.example: no endpoint has zone=c (they have zone=a, zone=b)", finding.Message);
    }
}
