using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using Runtime.Grpc;
using Runtime.Grpc.Client;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Ca;
using Runtime.Silo.Tests.Discovery;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Metrics;

/// <summary>
/// The control plane's own metrics on a real silo's <c>/metrics</c>: a known sequence of applies, ACKs, NACKs and
/// CSRs moves each one by exactly what it should, and the exposition is well-formed.
/// </summary>
public sealed class ControlPlaneMetricsTests
{
    private const string Route = DistributionTests.ReviewsRoute;

    private const string Rule = """
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          host: reviews
          subsets:
          - name: v2
            labels: {version: v2}
        """;

    // Two invalid VirtualServices (one with two errors), an invalid DestinationRule and a document of no known kind.
    private const string Invalid = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: bad-weight, namespace: bookinfo}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
              weight: -5
            - destination: {host: ""}
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: no-routes, namespace: bookinfo}
        spec:
          hosts: [reviews]
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata: {name: no-host, namespace: bookinfo}
        spec:
          subsets:
          - name: v1
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: Nonsense
        metadata: {name: what, namespace: bookinfo}
        spec: {}
        """;

    private const string Ca = "CertificateService/";

    [Fact]
    public async Task KnownSequence_EveryControlPlaneMetricMovesExactly()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = f.Silo.HttpAddress };
        var (a, b) = await SyncedSidecarsAsync(f);
        var before = await ScrapeWhenAsync(http, e => e["silo_discovery_pushes_total"] == a.Received + b.Received, "pushes to match the snapshots received");

        // A valid change both sidecars ACK: one push each, one convergence measurement.
        await f.Client.ApplyAsync(Route);
        await a.AckAsync((await a.WaitForAsync(s => Has(s, "VirtualService"), "the VirtualService at a", ack: false)).Version);
        await b.AckAsync((await b.WaitForAsync(s => Has(s, "VirtualService"), "the VirtualService at b", ack: false)).Version);

        // A valid change b NACKs: one push each, one NACK, no convergence.
        await f.Client.ApplyAsync(Rule);
        await a.AckAsync((await a.WaitForAsync(s => Has(s, "DestinationRule"), "the DestinationRule at a", ack: false)).Version);
        await b.AckAsync((await b.WaitForAsync(s => Has(s, "DestinationRule"), "the DestinationRule at b", ack: false)).Version, "subset v2 selects no endpoint in this build");

        // An invalid batch: rejected whole, nothing stored or pushed.
        var rejected = await Assert.ThrowsAsync<GrpcException>(() => f.Client.ApplyAsync(Invalid));
        Assert.Equal(GrpcStatusCode.InvalidArgument, rejected.Status);

        // A delete both ACK (b's ACK of the newest version also clears its NACK): one push each, one convergence.
        await f.Client.CallAsync("ConfigService/Delete", new V1.DeleteRequest { Kind = "DestinationRule", Namespace = "bookinfo", Name = "reviews" }, V1.DeleteResponse.Parser).Within("Delete");
        await a.WaitForAsync(s => !Has(s, "DestinationRule"), "the DestinationRule gone at a");
        await b.WaitForAsync(s => !Has(s, "DestinationRule"), "the DestinationRule gone at b");

        await SignCsrsAsync(f.Client);
        var after = await ScrapeWhenAsync(http, e => e["silo_discovery_pushes_total"] == a.Received + b.Received, "pushes to match the snapshots received");

        Assert.Equal(6, a.Received + b.Received - (before["silo_discovery_pushes_total"]));
        Assert.Equal(0, Delta(before, after, "silo_discovery_push_errors_total"));
        Assert.Equal(1, Delta(before, after, "silo_discovery_nacks_total"));
        Assert.Equal(2, Delta(before, after, "silo_discovery_convergence_duration_seconds_count"));
        Assert.Equal(2, Delta(before, after, "silo_discovery_convergence_duration_seconds_bucket{le=\"+Inf\"}"));
        Assert.True(Delta(before, after, "silo_discovery_convergence_duration_seconds_sum") > 0);
        Assert.Equal(2, Delta(before, after, "silo_discovery_convergence_duration_seconds_bucket{le=\"30\"}"));
        Assert.Equal(2, after["silo_discovery_proxies_connected"]);
        Assert.Equal(2, Delta(before, after, "silo_config_validation_rejections_total{kind=\"VirtualService\"}"));
        Assert.Equal(1, Delta(before, after, "silo_config_validation_rejections_total{kind=\"DestinationRule\"}"));
        Assert.Equal(1, Delta(before, after, "silo_config_validation_rejections_total{kind=\"unknown\"}"));
        Assert.Equal(0, Delta(before, after, "silo_config_validation_rejections_total{kind=\"Gateway\"}"));
        Assert.Equal(1, Delta(before, after, "silo_ca_csr_signed_total"));
        Assert.Equal(2, Delta(before, after, "silo_ca_csr_rejected_total{reason=\"unauthenticated\"}"));
        Assert.Equal(1, Delta(before, after, "silo_ca_csr_rejected_total{reason=\"permission_denied\"}"));
        Assert.Equal(1, Delta(before, after, "silo_ca_csr_rejected_total{reason=\"invalid_argument\"}"));
        Assert.Equal(0, Delta(before, after, "silo_ca_csr_rejected_total{reason=\"failed_precondition\"}"));
        Assert.Equal(2, Delta(before, after, "silo_store_operation_duration_seconds_count{operation=\"apply\"}"));
        Assert.Equal(1, Delta(before, after, "silo_store_operation_duration_seconds_count{operation=\"delete\"}"));
        Assert.Equal(2, Delta(before, after, "silo_store_applies_total{outcome=\"created\"}"));
        Assert.Equal(0, after["silo_store_applies_total{outcome=\"conflict\"}"]);
        Assert.Equal("histogram", after.Types["silo_store_operation_duration_seconds"]);
        Assert.Equal("counter", after.Types["silo_ca_csr_rejected_total"]);
        Assert.Equal("gauge", after.Types["silo_discovery_proxies_connected"]);

        // A sidecar that leaves is no longer connected.
        await b.DeregisterAsync().Within("Deregister");
        var gone = await ScrapeWhenAsync(http, e => e["silo_discovery_proxies_connected"] == 1, "the connected gauge to drop to 1");
        Assert.Equal(0, Delta(before, gone, "silo_discovery_push_errors_total"));
    }

    [PromtoolFact]
    public async Task Exposition_AfterTraffic_PromtoolAcceptsIt()
    {
        await using var f = await DiscoveryFixture.StartAsync();
        using var http = new HttpClient { BaseAddress = f.Silo.HttpAddress };
        var (a, b) = await SyncedSidecarsAsync(f);
        await f.Client.ApplyAsync(Route);
        await a.WaitForAsync(s => Has(s, "VirtualService"), "the VirtualService at a");
        await b.WaitForAsync(s => Has(s, "VirtualService"), "the VirtualService at b");
        await Assert.ThrowsAsync<GrpcException>(() => f.Client.ApplyAsync(Invalid));
        await SignCsrsAsync(f.Client);
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).Within("/metrics");

        var (exitCode, output) = await PromtoolFactAttribute.CheckMetricsAsync(text);

        Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{output}");
        Assert.True(output.Trim().Length == 0, $"promtool check metrics reported problems:\n{output}");
    }

    private static async Task<(FakeSidecar A, FakeSidecar B)> SyncedSidecarsAsync(DiscoveryFixture f)
    {
        var (a, b) = await DistributionTests.TwoSyncedSidecarsAsync(f);
        var proxies = await f.ListProxiesAsync();
        Assert.All(proxies.Proxies, p => Assert.Equal(V1.SyncState.Synced, p.State));
        return (a, b);
    }

    /// <summary>Signs one CSR with a valid token and refuses four: bad token, no proof, another identity, no CSR.</summary>
    private static async Task SignCsrsAsync(GrpcClient client)
    {
        var token = await client.CallAsync(Ca + "CreateToken", new V1.CreateTokenRequest { Namespace = "bookinfo", ServiceAccount = "reviews" }, V1.CreateTokenResponse.Parser).Within("CreateToken");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = ByteString.CopyFrom(CaTestKit.Csr(key));
        var foreign = ByteString.CopyFrom(CaTestKit.Csr(key, uri: "spiffe://cluster.local/ns/bookinfo/sa/ratings"));

        await client.CallAsync(Ca + "Sign", new V1.CsrRequest { CsrDer = csr, Token = token.Token }, V1.CsrResponse.Parser).Within("Sign");
        await ExpectRefusedAsync(client, new V1.CsrRequest { CsrDer = csr, Token = "not-a-token" }, GrpcStatusCode.Unauthenticated);
        await ExpectRefusedAsync(client, new V1.CsrRequest { CsrDer = csr }, GrpcStatusCode.Unauthenticated);
        await ExpectRefusedAsync(client, new V1.CsrRequest { CsrDer = foreign, Token = token.Token }, GrpcStatusCode.PermissionDenied);
        await ExpectRefusedAsync(client, new V1.CsrRequest { Token = token.Token }, GrpcStatusCode.InvalidArgument);
    }

    private static async Task ExpectRefusedAsync(GrpcClient client, V1.CsrRequest request, GrpcStatusCode status)
    {
        var error = await Assert.ThrowsAsync<GrpcException>(() => client.CallAsync(Ca + "Sign", request, V1.CsrResponse.Parser).Within("Sign"));
        Assert.Equal(status, error.Status);
    }

    /// <summary>Scrapes (and checks the exposition's form) until <paramref name="settled"/> holds; a push is counted just after its write.</summary>
    private static async Task<Exposition> ScrapeWhenAsync(HttpClient http, Func<Exposition, bool> settled, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var exposition = Exposition.Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)).Within("/metrics"));
            if (settled(exposition))
            {
                return exposition;
            }

            if (clock.Elapsed > Timeouts.Default)
            {
                throw new TimeoutException($"timed out after {Timeouts.Default.TotalSeconds}s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>How far a sample moved; a labelled series appears on its first event, so absent before means 0.</summary>
    private static double Delta(Exposition before, Exposition after, string sample) => after[sample] - (before.TryGet(sample) ?? 0);

    private static bool Has(V1.ProxySnapshot snapshot, string kind) => snapshot.Resources.Any(r => r.Kind == kind && r.Metadata.Name == "reviews");
}
