using Runtime.Silo.Dashboard;
using Runtime.Silo.Tests.Testing;

namespace Runtime.Silo.Tests.Dashboard;

/// <summary>Which config the dashboard lists under a node, and why: hosts the way sidecars pick them, wildcards included.</summary>
public sealed class NodeConfigAttributionTests
{
    private const string Host = "reviews.default.svc.cluster.local";
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> ReviewsLabels = [new Dictionary<string, string> { ["app"] = "reviews", ["version"] = "v1" }];

    [Fact]
    public void For_OnlyAWildcardCoversTheHost_ListedAsRoutingItViaTheWildcard()
    {
        var refs = NodeConfigAttribution.For(
            [
                Resources.Make("all-default", """{"hosts":["*.default.svc.cluster.local"]}"""),
                Resources.Make("defaults", """{"host":"*.svc.cluster.local"}""", kind: "DestinationRule", ns: "istio-system"),
                Resources.Make("ratings-only", """{"hosts":["ratings"]}"""),
            ],
            Host,
            "default",
            ReviewsLabels);

        Assert.Equal(
            [
                ("DestinationRule", "defaults", $"traffic policy for host {Host} (wildcard *.svc.cluster.local)"),
                ("VirtualService", "all-default", $"routes host {Host} (wildcard *.default.svc.cluster.local)"),
            ],
            refs.Select(r => (r.Kind, r.Name, r.Why)));
    }

    [Fact]
    public void For_ExactAndWildcardBothCover_ExactAppliesWildcardsShownShadowed()
    {
        var refs = NodeConfigAttribution.For(
            [
                Resources.Make("reviews", """{"hosts":["reviews"]}"""),
                Resources.Make("all-default", """{"hosts":["*.default.svc.cluster.local", "details"]}"""),
                Resources.Make("everything", """{"hosts":["*"]}""", ns: "istio-system"),
                Resources.Make("reviews", """{"host":"reviews.default.svc.cluster.local"}""", kind: "DestinationRule"),
                Resources.Make("mesh-wide", """{"host":"*.cluster.local"}""", kind: "DestinationRule", ns: "istio-system"),
                Resources.Make("default-ns", """{"host":"*.default.svc.cluster.local"}""", kind: "DestinationRule"),
            ],
            Host,
            "default",
            ReviewsLabels);

        var why = refs.ToDictionary(r => $"{r.Kind} {r.Namespace}/{r.Name}", r => r.Why);
        Assert.Equal($"routes host {Host}", why["VirtualService default/reviews"]);
        Assert.Equal($"shadowed for host {Host} by VirtualService default/reviews (wildcard *.default.svc.cluster.local is less specific)", why["VirtualService default/all-default"]);
        Assert.Equal($"shadowed for host {Host} by VirtualService default/reviews (wildcard * is less specific)", why["VirtualService istio-system/everything"]);
        Assert.Equal($"traffic policy for host {Host}", why["DestinationRule default/reviews"]);
        Assert.StartsWith("shadowed", why["DestinationRule istio-system/mesh-wide"], StringComparison.Ordinal);
        Assert.StartsWith("shadowed", why["DestinationRule default/default-ns"], StringComparison.Ordinal);
        Assert.Equal(6, refs.Count);
        Assert.Equal(
            ["DestinationRule default/default-ns", "DestinationRule istio-system/mesh-wide", "VirtualService default/all-default", "VirtualService istio-system/everything"],
            refs.Where(r => r.Shadowed).Select(r => $"{r.Kind} {r.Namespace}/{r.Name}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void For_TwoWildcards_TheLongerSuffixApplies()
    {
        var refs = NodeConfigAttribution.For(
            [
                Resources.Make("cluster", """{"host":"*.cluster.local"}""", kind: "DestinationRule", ns: "istio-system"),
                Resources.Make("default-ns", """{"host":"*.default.svc.cluster.local"}""", kind: "DestinationRule"),
            ],
            Host,
            "default",
            ReviewsLabels);

        var why = refs.ToDictionary(r => r.Name, r => r.Why);
        Assert.Equal($"traffic policy for host {Host} (wildcard *.default.svc.cluster.local)", why["default-ns"]);
        Assert.Equal($"shadowed for host {Host} by DestinationRule default/default-ns (wildcard *.cluster.local is less specific)", why["cluster"]);
    }

    [Fact]
    public void For_WildcardForAnotherDomainOrNamespace_NotListed()
    {
        var refs = NodeConfigAttribution.For(
            [
                Resources.Make("other-ns", """{"hosts":["*.other.svc.cluster.local"]}"""),
                Resources.Make("external", """{"host":"*.example.com"}""", kind: "DestinationRule"),
            ],
            Host,
            "default",
            ReviewsLabels);

        Assert.Empty(refs);
    }

    [Fact]
    public void For_PoliciesBySelectorAndScope_StillAttributed()
    {
        var refs = NodeConfigAttribution.For(
            [
                Resources.Make("reviews-only", """{"selector":{"matchLabels":{"app":"reviews"}}}""", kind: "AuthorizationPolicy"),
                Resources.Make("ratings-only", """{"selector":{"matchLabels":{"app":"ratings"}}}""", kind: "AuthorizationPolicy"),
                Resources.Make("strict", "{}", kind: "PeerAuthentication", ns: "istio-system"),
                Resources.Make("ns-logs", "{}", kind: "Telemetry"),
            ],
            Host,
            "default",
            ReviewsLabels);

        Assert.Equal(
            [
                ("AuthorizationPolicy", "reviews-only", "selects app=reviews"),
                ("PeerAuthentication", "strict", "mesh-wide (root namespace istio-system)"),
                ("Telemetry", "ns-logs", "namespace-wide (default)"),
            ],
            refs.Select(r => (r.Kind, r.Name, r.Why)));
    }
}
