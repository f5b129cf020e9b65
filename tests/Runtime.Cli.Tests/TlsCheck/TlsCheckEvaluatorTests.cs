using System.Text.Json;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Cli.Api;
using Runtime.Cli.TlsCheck;

namespace Runtime.Cli.Tests.TlsCheck;

/// <summary>Server mode, client origination and status for the combinations istioctl's tls-check was built to catch.</summary>
public sealed class TlsCheckEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static readonly MeshWorkload ReviewsV1 = Workload("reviews-v1-1", "reviews", "bookinfo", 9080, ("app", "reviews"), ("version", "v1"));
    private static readonly MeshWorkload ReviewsV2 = Workload("reviews-v2-1", "reviews", "bookinfo", 9080, ("app", "reviews"), ("version", "v2"));
    private static readonly MeshWorkload Product = Workload("productpage-v1-1", "productpage", "bookinfo", 9080, ("app", "productpage"));
    private static readonly MeshWorkload Sleep = Workload("sleep-1", "sleep", "tools", null, ("app", "sleep"));

    private static MeshWorkload Workload(string instance, string service, string ns, int? port, params (string Key, string Value)[] labels) =>
        new(instance + "-id", instance, service, ns, service, labels.ToDictionary(l => l.Key, l => l.Value), port, null);

    private static MeshResource Resource(string kind, string ns, string name, string spec, int ageMinutes = 0) => new()
    {
        ApiVersion = kind == "DestinationRule" ? "networking.istio.io/v1" : "security.istio.io/v1",
        Kind = kind,
        Metadata = new ObjectMeta { Name = name, Namespace = ns, CreationTimestamp = Now.AddMinutes(-ageMinutes) },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    private static MeshResource Peer(string ns, string name, string spec) => Resource("PeerAuthentication", ns, name, spec);

    private static MeshResource Rule(string ns, string name, string spec, int ageMinutes = 0) => Resource("DestinationRule", ns, name, spec, ageMinutes);

    private static IReadOnlyList<TlsCheckRow> Reviews(MeshResource[] resources, params MeshWorkload[] workloads) =>
        TlsCheckEvaluator.Evaluate(resources, workloads.Length == 0 ? [ReviewsV1, Product] : workloads, (service, _, _) => service == "reviews", Now);

    [Fact]
    public void Evaluate_NoPolicies_PermissiveServerAutoMtlsClientsOk()
    {
        var row = Assert.Single(Reviews([]));

        Assert.Equal(("reviews.bookinfo.svc.cluster.local", 9080), (row.Host, row.Port));
        Assert.Equal(TlsCheckStatus.Ok, row.Status);
        Assert.Equal(MutualTlsMode.Permissive, row.ServerMode);
        Assert.Equal("default", row.AuthnPolicy);
        Assert.Equal("ISTIO_MUTUAL (auto)", row.Client);
        Assert.Null(row.DestinationRule);
        Assert.Equal(["productpage-v1-1", "reviews-v1-1"], row.Clients);
        Assert.Equal(CertificateState.Unknown, row.ServerCertificates);
        Assert.Null(row.Reason);
    }

    [Fact]
    public void Evaluate_StrictMeshAndDisableRule_Conflict()
    {
        var row = Assert.Single(Reviews(
        [
            Peer("mesh-system", "default", """{"mtls":{"mode":"STRICT"}}"""),
            Rule("bookinfo", "reviews", """{"host":"reviews","trafficPolicy":{"tls":{"mode":"DISABLE"}}}"""),
        ]));

        Assert.Equal(TlsCheckStatus.Conflict, row.Status);
        Assert.Equal((MutualTlsMode.Strict, "mesh-system/default"), (row.ServerMode, row.AuthnPolicy));
        Assert.Equal(("DISABLE", "bookinfo/reviews"), (row.Client, row.DestinationRule));
        Assert.Contains("server is STRICT", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_StrictWithIstioMutualRule_Ok()
    {
        var row = Assert.Single(Reviews(
        [
            Peer("bookinfo", "default", """{"mtls":{"mode":"STRICT"}}"""),
            Rule("bookinfo", "reviews", """{"host":"reviews.bookinfo.svc.cluster.local","trafficPolicy":{"tls":{"mode":"ISTIO_MUTUAL"}}}"""),
        ]));

        Assert.Equal((TlsCheckStatus.Ok, "ISTIO_MUTUAL", "bookinfo/default"), (row.Status, row.Client, row.AuthnPolicy));
    }

    [Fact]
    public void Evaluate_DisabledServerUnderAutoMtls_ClientsSendPlaintext()
    {
        var row = Assert.Single(Reviews([Peer("bookinfo", "default", """{"mtls":{"mode":"DISABLE"}}""")]));

        Assert.Equal((TlsCheckStatus.Ok, "DISABLE (auto: server DISABLE)", ClientOrigination.Plaintext), (row.Status, row.Client, row.Origination));

        var fixedByRule = Assert.Single(Reviews(
        [
            Peer("bookinfo", "default", """{"mtls":{"mode":"DISABLE"}}"""),
            Rule("bookinfo", "reviews", """{"host":"reviews","trafficPolicy":{"tls":{"mode":"DISABLE"}}}"""),
        ]));
        Assert.Equal(TlsCheckStatus.Ok, fixedByRule.Status);
    }

    [Fact]
    public void Evaluate_WorkloadSelectorAndPortLevel_OneRowPerServerGroup()
    {
        var rows = Reviews(
        [
            Peer("bookinfo", "default", """{"mtls":{"mode":"PERMISSIVE"}}"""),
            Peer("bookinfo", "reviews-v2", """{"selector":{"matchLabels":{"version":"v2"}},"mtls":{"mode":"UNSET"},"portLevelMtls":{"9080":{"mode":"STRICT"}}}"""),
            Rule("bookinfo", "reviews", """{"host":"reviews","trafficPolicy":{"tls":{"mode":"DISABLE"}}}"""),
        ], ReviewsV1, ReviewsV2, Product);

        Assert.Equal(2, rows.Count);
        var v1 = Assert.Single(rows, r => r.Servers.SequenceEqual(["reviews-v1-1"]));
        var v2 = Assert.Single(rows, r => r.Servers.SequenceEqual(["reviews-v2-1"]));
        Assert.Equal((TlsCheckStatus.Ok, MutualTlsMode.Permissive, "bookinfo/default"), (v1.Status, v1.ServerMode, v1.AuthnPolicy));
        Assert.Equal((TlsCheckStatus.Conflict, MutualTlsMode.Strict, "bookinfo/reviews-v2 port 9080"), (v2.Status, v2.ServerMode, v2.AuthnPolicy));
    }

    [Fact]
    public void Evaluate_ClientNamespaceRuleAndWorkloadSelector_SplitClientGroups()
    {
        var rows = Reviews(
        [
            Peer("mesh-system", "default", """{"mtls":{"mode":"STRICT"}}"""),
            // The client's own namespace is searched first: sleep in tools sends plaintext.
            Rule("tools", "reviews-plain", """{"host":"reviews.bookinfo.svc.cluster.local","exportTo":["."],"trafficPolicy":{"tls":{"mode":"DISABLE"}}}"""),
            // Only productpage is selected by this one; reviews itself uses auto mTLS.
            Rule("bookinfo", "reviews-from-product", """{"host":"reviews","workloadSelector":{"matchLabels":{"app":"productpage"}},"trafficPolicy":{"portLevelSettings":[{"port":{"number":9080},"tls":{"mode":"ISTIO_MUTUAL"}}]}}"""),
        ], ReviewsV1, Product, Sleep);

        Assert.Equal(3, rows.Count);
        Assert.Equal((TlsCheckStatus.Conflict, "DISABLE", "tools/reviews-plain"), Single(rows, "sleep-1"));
        Assert.Equal((TlsCheckStatus.Ok, "ISTIO_MUTUAL", "bookinfo/reviews-from-product"), Single(rows, "productpage-v1-1"));
        Assert.Equal((TlsCheckStatus.Ok, "ISTIO_MUTUAL (auto)", (string?)null), Single(rows, "reviews-v1-1"));

        static (TlsCheckStatus, string, string?) Single(IReadOnlyList<TlsCheckRow> rows, string client)
        {
            var row = Assert.Single(rows, r => r.Clients.SequenceEqual([client]));
            return (row.Status, row.Client, row.DestinationRule);
        }
    }

    [Fact]
    public void Evaluate_SubsetOverridingTls_ExtraRowForTheWorkloadsItReaches()
    {
        var rows = Reviews(
        [
            Peer("mesh-system", "default", """{"mtls":{"mode":"STRICT"}}"""),
            Rule("bookinfo", "reviews", """
                {"host":"reviews","trafficPolicy":{"tls":{"mode":"ISTIO_MUTUAL"}},
                 "subsets":[{"name":"v1","labels":{"version":"v1"},"trafficPolicy":{"portLevelSettings":[{"port":{"number":9080},"tls":{"mode":"DISABLE"}}]}},
                            {"name":"v2","labels":{"version":"v2"}}]}
                """),
        ], ReviewsV1, ReviewsV2, Product);

        Assert.Equal(2, rows.Count);
        var whole = Assert.Single(rows, r => r.DestinationRule == "bookinfo/reviews");
        Assert.Equal((TlsCheckStatus.Ok, "ISTIO_MUTUAL"), (whole.Status, whole.Client));
        Assert.Equal(["reviews-v1-1", "reviews-v2-1"], whole.Servers);
        var subset = Assert.Single(rows, r => r.DestinationRule == "bookinfo/reviews subset v1");
        Assert.Equal((TlsCheckStatus.Conflict, "DISABLE"), (subset.Status, subset.Client));
        Assert.Equal(["reviews-v1-1"], subset.Servers);
    }

    [Fact]
    public void Evaluate_RuleNotExportedToClient_IsIgnored()
    {
        var row = Assert.Single(Reviews(
        [
            Peer("mesh-system", "default", """{"mtls":{"mode":"STRICT"}}"""),
            Rule("bookinfo", "reviews", """{"host":"reviews","exportTo":["tools"],"trafficPolicy":{"tls":{"mode":"DISABLE"}}}"""),
        ], ReviewsV1, Product));

        Assert.Equal((TlsCheckStatus.Ok, "ISTIO_MUTUAL (auto)"), (row.Status, row.Client));
    }

    [Theory]
    [InlineData("SIMPLE", "PERMISSIVE", "CONFLICT")]
    [InlineData("MUTUAL", "STRICT", "WARNING")]
    [InlineData("MUTUAL", "DISABLE", "CONFLICT")]
    [InlineData("DISABLE", "PERMISSIVE", "OK")]
    [InlineData("DISABLE", "DISABLE", "OK")]
    [InlineData("ISTIO_MUTUAL", "PERMISSIVE", "OK")]
    [InlineData("ISTIO_MUTUAL", "DISABLE", "CONFLICT")]
    public void Evaluate_RuleModeAgainstServerMode_Status(string client, string server, string status)
    {
        var expected = Enum.Parse<TlsCheckStatus>(status, ignoreCase: true);
        var row = Assert.Single(Reviews(
        [
            Peer("bookinfo", "default", $$$"""{"mtls":{"mode":"{{{server}}}"}}"""),
            Rule("bookinfo", "reviews", """{"host":"reviews","trafficPolicy":{"tls":{"mode":"MODE","caCertificates":"/etc/ca.pem","clientCertificate":"/etc/c.pem","privateKey":"/etc/k.pem"}}}""".Replace("MODE", client, StringComparison.Ordinal)),
        ]));

        Assert.Equal(expected, row.Status);
        Assert.Equal(expected == TlsCheckStatus.Ok, row.Reason is null);
    }

    [Fact]
    public void Evaluate_CertificateReports_AutoMtlsFallsBackToPlaintextWithoutOne()
    {
        var withCertificate = ReviewsV1 with { Certificate = new ReportedCertificate("spiffe://cluster.local/ns/bookinfo/sa/reviews", Now.AddHours(12)) };
        var expired = Product with { Certificate = new ReportedCertificate("spiffe://cluster.local/ns/bookinfo/sa/productpage", Now.AddMinutes(-1)) };
        MeshResource[] strict = [Peer("mesh-system", "default", """{"mtls":{"mode":"STRICT"}}""")];

        var rows = Reviews(strict, withCertificate, expired);

        Assert.Equal(2, rows.Count);
        var fromProduct = Assert.Single(rows, r => r.Clients.SequenceEqual(["productpage-v1-1"]));
        Assert.Equal((TlsCheckStatus.Conflict, "DISABLE (auto: no certificate)", CertificateState.Absent), (fromProduct.Status, fromProduct.Client, fromProduct.ClientCertificates));
        var fromSelf = Assert.Single(rows, r => r.Clients.SequenceEqual(["reviews-v1-1"]));
        Assert.Equal((TlsCheckStatus.Ok, CertificateState.Present, CertificateState.Present), (fromSelf.Status, fromSelf.ServerCertificates, fromSelf.ClientCertificates));
    }

    [Fact]
    public void Evaluate_ServerWithoutCertificate_ConflictForMtlsClients()
    {
        var client = Product with { Certificate = new ReportedCertificate("spiffe://cluster.local/ns/bookinfo/sa/productpage", Now.AddHours(1)) };

        var row = Assert.Single(Reviews([], ReviewsV1, client), r => r.Clients.SequenceEqual(["productpage-v1-1"]));

        Assert.Equal((TlsCheckStatus.Conflict, CertificateState.Absent), (row.Status, row.ServerCertificates));
        Assert.Contains("server has no workload certificate", row.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_IstioMutualWithoutCertificate_ConflictConnectionsFail()
    {
        var server = ReviewsV1 with { Certificate = new ReportedCertificate("spiffe://cluster.local/ns/bookinfo/sa/reviews", Now.AddHours(1)) };

        var row = Assert.Single(
            Reviews([Rule("bookinfo", "reviews", """{"host":"reviews","trafficPolicy":{"tls":{"mode":"ISTIO_MUTUAL"}}}""")], server, Product),
            r => r.Clients.SequenceEqual(["productpage-v1-1"]));

        Assert.Equal((TlsCheckStatus.Conflict, ClientOrigination.Fails), (row.Status, row.Origination));
    }
}
