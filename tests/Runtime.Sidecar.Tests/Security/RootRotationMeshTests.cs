using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Runtime.Grpc;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// The issue's end-to-end root rotation: a real control plane, two real sidecars holding certificates from its CA
/// (obtained with bootstrap tokens), STRICT mTLS and a new connection (so a new handshake) per request, steady load
/// while the three steps run through the API with its progress gates: zero failed requests, and afterwards every
/// leaf chains to the new root and the bundle holds only it.
/// </summary>
public sealed class RootRotationMeshTests
{
    private const string Ca = "/runtime.mesh.v1.CertificateService/";
    private const string ReviewsFqdn = "reviews.default.svc.cluster.local";

    [Fact]
    public async Task RotateRoot_UnderSteadyLoadWithMtls_DropsNoRequestAndEndsOnTheNewRoot()
    {
        // Heartbeats every 500 ms carry the certificate reports the steps wait for.
        await using var harness = await MeshHarness.StartAsync(endpointTtl: TimeSpan.FromSeconds(2));
        var root = Directory.CreateTempSubdirectory("root-rotation-").FullName;
        await harness.ApplyAsync(MtlsInboundTests.StrictMesh);
        await harness.ApplyAsync("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata:
              name: reviews
              namespace: default
            spec:
              host: reviews.default.svc.cluster.local
              trafficPolicy:
                connectionPool:
                  http:
                    maxRequestsPerConnection: 1
            """);
        await using var app = await TestServer.StartAsync(context => context.Response.WriteAsync($"reviews xfcc={context.Request.Headers["x-forwarded-client-cert"]}"));
        await using var reviews = await StartSidecarAsync(harness, root, "reviews", app);
        await using var productpage = await StartSidecarAsync(harness, root, "productpage", null);
        var reviewsCertificates = Certificates(reviews);
        var productpageCertificates = Certificates(productpage);
        await MeshHarness.WaitForEndpointsAsync(productpage, ReviewsFqdn, 1);
        await MeshHarness.WaitForConfigAsync(productpage, "maxRequestsPerConnection");
        await MeshHarness.WaitForConfigAsync(reviews, "STRICT");
        var before = await StatusAsync(harness);
        await WaitForProgressAsync(harness, "both proxies reporting a certificate", s => s.Progress.Proxies == 2);

        await using var load = SteadyLoad.Start(productpage.OutboundAddress, "reviews");
        using var stopHandshakes = new CancellationTokenSource();
        var handshakes = HandshakeLoopAsync(productpageCertificates, reviews, stopHandshakes.Token);
        await load.WaitForAsync(20);
        // STRICT refuses plaintext, and the app sees the caller's SPIFFE id: the requests go over mTLS.
        Assert.Contains("URI=spiffe://cluster.local/ns/default/sa/productpage", load.LastBody, StringComparison.Ordinal);

        var prepared = await RotateAsync(harness, V1.RootRotationStep.Prepare);
        Assert.Equal((V1.RootRotationPhase.Prepared, 2), (prepared.RotationPhase, prepared.TrustBundle.Count));
        await load.WaitForAsync(load.Succeeded + 20);
        await WaitForProgressAsync(harness, "both proxies trusting the combined bundle", s => s.Progress.TrustingCurrentBundle == 2);

        var switched = await RotateAsync(harness, V1.RootRotationStep.Switch);
        var newRoot = switched.RootSha256;
        Assert.NotEqual(before.RootSha256, newRoot);
        await load.WaitForAsync(load.Succeeded + 20);
        await WaitForProgressAsync(harness, "both proxies holding a leaf of the new root", s => s.Progress.SignedBySigningRoot == 2);

        var finished = await RotateAsync(harness, V1.RootRotationStep.Finish);
        Assert.Equal(newRoot, Assert.Single(finished.TrustBundle).Sha256);
        await WaitForProgressAsync(harness, "both proxies trusting only the new root", s => s.Progress.TrustingCurrentBundle == 2);
        await load.WaitForAsync(load.Succeeded + 20);
        var (succeeded, failures) = await load.StopAsync();
        await stopHandshakes.CancelAsync();
        var (handshaken, handshakeFailures) = await handshakes.Within();

        Assert.Empty(failures);
        Assert.Empty(handshakeFailures);
        Assert.True(handshaken >= 10, $"only {handshaken} direct handshakes");
        Assert.True(succeeded >= 100, $"only {succeeded} requests went through");
        Assert.Contains("URI=spiffe://cluster.local/ns/default/sa/productpage", load.LastBody, StringComparison.Ordinal);
        foreach (var certificates in new[] { reviewsCertificates, productpageCertificates })
        {
            Assert.Equal(newRoot, certificates.Held!.RootSha256);
            Assert.Equal(finished.Generation, certificates.TrustGeneration);
            Assert.Equal(newRoot, Convert.ToHexStringLower(SHA256.HashData(Assert.Single(certificates.TrustBundle).RawData)));
        }

        var proxies = await harness.ProxiesAsync();
        Assert.All(proxies.Proxies, p => Assert.Equal(newRoot, p.Certificate.RootSha256));
        Directory.Delete(root, recursive: true);
    }

    /// <summary>
    /// Handshakes as a sidecar makes them, one new connection each, until stopped: productpage's current leaf
    /// presented to reviews' inbound port, the server verified against productpage's current trust bundle.
    /// </summary>
    private static async Task<(int Succeeded, List<string> Failures)> HandshakeLoopAsync(CertificateRotation client, RunningSidecar server, CancellationToken stop)
    {
        var succeeded = 0;
        var failures = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var bundle = client.TrustBundle;
            using var http = new HttpClient(new SocketsHttpHandler
            {
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.Zero,
                SslOptions =
                {
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => client.Current!.Leaf,
                    RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 leaf && ChainsTo(leaf, bundle),
                },
            })
            { Timeout = TestTimeouts.Default };
            try
            {
                using var response = await http.GetAsync(MtlsMesh.Https(server, "/direct"), CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK && body.Contains("URI=spiffe://cluster.local/ns/default/sa/productpage", StringComparison.Ordinal))
                {
                    succeeded++;
                }
                else
                {
                    failures.Add($"{(int)response.StatusCode}: {body}");
                }
            }
            catch (HttpRequestException ex)
            {
                failures.Add(ex.InnerException?.Message ?? ex.Message);
            }
        }

        return (succeeded, failures);
    }

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2Collection roots)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        return chain.Build(leaf);
    }

    private static CertificateRotation Certificates(RunningSidecar sidecar) => (CertificateRotation)sidecar.Services.GetService(typeof(IWorkloadCertificateSource))!;

    private static async Task<RunningSidecar> StartSidecarAsync(MeshHarness harness, string root, string service, TestServer? app)
    {
        var token = await harness.Api.UnaryAsync(Ca + "CreateToken", new V1.CreateTokenRequest { Namespace = "default", ServiceAccount = service }, V1.CreateTokenResponse.Parser).Within();
        var tokenFile = Path.Combine(root, service + ".token");
        await File.WriteAllTextAsync(tokenFile, token.Token);
        var options = new SidecarOptions
        {
            Service = service,
            ServiceAccount = service,
            AppPort = app?.Address.Port,
            InboundPort = 0,
            OutboundPort = 0,
            AdminPort = 0,
            DataDir = Path.Combine(root, service),
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
            TokenFile = tokenFile,
        };
        options.ControlPlanes.Add(harness.ControlPlane);
        var sidecar = await SidecarHost.StartAsync(options, CancellationToken.None).Within();
        var certificates = Certificates(sidecar);
        if (certificates.Current is null)
        {
            await certificates.NextIssued.Within();
        }

        return sidecar;
    }

    private static Task<V1.CaStatus> StatusAsync(MeshHarness harness) =>
        harness.Api.UnaryAsync(Ca + "GetStatus", new V1.GetCaStatusRequest(), V1.CaStatus.Parser).Within();

    private static Task<V1.CaStatus> RotateAsync(MeshHarness harness, V1.RootRotationStep step) =>
        harness.Api.UnaryAsync(Ca + "RotateRoot", new V1.RotateRootRequest { Step = step }, V1.CaStatus.Parser).Within();

    private static Task WaitForProgressAsync(MeshHarness harness, string what, Func<V1.CaStatus, bool> done) =>
        Eventually.Async(what, async () => done(await StatusAsync(harness)));
}
