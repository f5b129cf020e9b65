using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Silo.Hosting;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// Workload certificates from the control plane's CA while traffic flows: two sidecars with bootstrap tokens, a
/// short certificate TTL, and a DestinationRule that makes every request a new connection (so every request is a
/// fresh mTLS handshake with the certificates of that moment) with retries off (so no failure is hidden).
/// </summary>
public sealed class MtlsRotationMeshTests : IAsyncLifetime
{
    private const string Policy = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec:
          host: reviews
          trafficPolicy:
            connectionPool:
              http: {maxRequestsPerConnection: 1}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews}
            retries: {attempts: 0}
        """;

    private const string ClientIdentity = "URI=spiffe://cluster.local/ns/default/sa/productpage";

    private readonly string _root = Directory.CreateTempSubdirectory("mtls-rotation-").FullName;
    private RunningSilo? _silo;
    private MtlsMesh? _mesh;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task LeafRotation_UnderSteadyLoad_DropsNoRequestAndUsesTheNewLeaves()
    {
        var (client, server) = await StartMeshAsync(TimeSpan.FromSeconds(8));
        var clientCertificates = Certificates(client);
        var serverCertificates = Certificates(server);
        var clientLeaves = new HashSet<string>(StringComparer.Ordinal) { clientCertificates.Current!.Leaf.Thumbprint };
        var serverLeaves = new HashSet<string>(StringComparer.Ordinal) { serverCertificates.Current!.Leaf.Thumbprint };

        await using var load = SteadyLoad.Start(client.OutboundAddress, "reviews");
        await load.WaitForAsync(20);
        for (var renewal = 1; renewal <= 2; renewal++)
        {
            var clientRenewed = clientCertificates.NextIssued;
            var serverRenewed = serverCertificates.NextIssued;
            var clientLeaf = await clientRenewed.Within();
            var serverLeaf = await serverRenewed.Within();
            Assert.True(clientLeaves.Add(clientLeaf.Leaf.Thumbprint), $"renewal {renewal} of the client repeated a leaf");
            Assert.True(serverLeaves.Add(serverLeaf.Leaf.Thumbprint), $"renewal {renewal} of the server repeated a leaf");

            // The renewed leaves are the ones the hop uses: the app sees the new client leaf's hash in XFCC, and the
            // server presents its new leaf in a handshake (unless a later renewal already replaced them).
            var succeeded = load.Succeeded;
            await Eventually.Async($"the app seeing renewal {renewal} of the client leaf (last body: {load.LastBody})", () =>
                Task.FromResult(load.Succeeded > succeeded && (load.LastBody.Contains(XfccHash(clientLeaf), StringComparison.Ordinal) || !ReferenceEquals(clientCertificates.Current, clientLeaf))));
            var presented = await ServerLeafAsync(server, clientCertificates.Current!);
            Assert.True(presented == serverLeaf.Leaf.Thumbprint || !ReferenceEquals(serverCertificates.Current, serverLeaf), $"after renewal {renewal} the server presented {presented}, not its new leaf {serverLeaf.Leaf.Thumbprint}");
        }

        var (total, failures) = await load.StopAsync();
        Assert.Empty(failures);
        Assert.True(total >= 20, $"only {total} requests went through");
        Assert.Equal(3, clientLeaves.Count);
        Assert.Equal(3, serverLeaves.Count);
    }

    [Fact]
    public async Task CaDown_PastHalfTheTtl_TrafficKeepsFlowingOnTheCurrentCertificatesAndRenewalResumes()
    {
        var ttl = TimeSpan.FromSeconds(16);
        var (client, server) = await StartMeshAsync(ttl);
        var clientCertificates = Certificates(client);
        var serverCertificates = Certificates(server);
        var grpcPort = _silo!.GrpcAddress.Port;
        WorkloadCertificate clientLeaf, serverLeaf;

        await using (var load = SteadyLoad.Start(client.OutboundAddress, "reviews"))
        {
            await load.WaitForAsync(10);
            await _silo.DisposeAsync();
            _silo = null;
            // The certificates in use when the CA went away (a renewal may have happened during start-up).
            clientLeaf = clientCertificates.Current!;
            serverLeaf = serverCertificates.Current!;

            // Past the renewal point (45-55% of the lifetime) of both certificates, well before either expires.
            var pastRenewal = new[] { clientLeaf, serverLeaf }.Max(c => c.NotAfter - ttl + (ttl * 0.6));
            var succeeded = load.Succeeded;
            await Eventually.Async($"traffic past {pastRenewal:O} with the CA down", () => Task.FromResult(DateTimeOffset.UtcNow >= pastRenewal && load.Succeeded > succeeded));
            var (total, failures) = await load.StopAsync();

            Assert.Empty(failures);
            Assert.True(total > succeeded, "no request went through while the CA was down");
            Assert.Same(clientLeaf, clientCertificates.Current);
            Assert.Same(serverLeaf, serverCertificates.Current);
            Assert.True(DateTimeOffset.UtcNow < clientLeaf.NotAfter && DateTimeOffset.UtcNow < serverLeaf.NotAfter, "the certificates expired during the test: the machine was too slow for this TTL");
        }

        // A control plane comes back (the same store, so the same CA, at the address the sidecars know): renewal
        // resumes with the current certificates as proof.
        var clientRenewed = clientCertificates.NextIssued;
        var serverRenewed = serverCertificates.NextIssued;
        _silo = await StartSiloAsync(ttl, grpcPort);
        var newClientLeaf = await clientRenewed.Within();
        var newServerLeaf = await serverRenewed.Within();
        Assert.NotEqual(clientLeaf.Leaf.Thumbprint, newClientLeaf.Leaf.Thumbprint);
        Assert.NotEqual(serverLeaf.Leaf.Thumbprint, newServerLeaf.Leaf.Thumbprint);
        await Eventually.Async("a request over mTLS with the renewed client leaf", async () =>
        {
            using var response = await MtlsMesh.CallAsync(client, "reviews", "/");
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && (body.Contains(XfccHash(newClientLeaf), StringComparison.Ordinal) || !ReferenceEquals(clientCertificates.Current, newClientLeaf));
        });
    }

    [Fact]
    public async Task NewCertificate_IsReportedAtOnce_NotAtTheNextPeriodicHeartbeat()
    {
        // Heartbeats every 10 minutes: only the heartbeat a new certificate triggers can report it within the test.
        _silo = await StartSiloAsync(TimeSpan.FromHours(1), grpcPort: 0, heartbeatInterval: TimeSpan.FromMinutes(10));
        _mesh = MtlsMesh.Over(_silo.GrpcAddress);
        var sidecar = await _mesh.StartSidecarWithTokenAsync("reviews", null, "reviews", await CreateTokenAsync("reviews"), "app=reviews");
        var leaf = Certificates(sidecar).Current ?? await Certificates(sidecar).NextIssued.Within();

        V1.CertificateReport? reported = null;
        await Eventually.Async("the control plane holds the sidecar's certificate report", async () =>
        {
            var proxies = await _mesh.Harness.ProxiesAsync();
            reported = proxies.Proxies.SingleOrDefault(p => p.Identity.Service == "reviews")?.Certificate;
            return reported is { SpiffeId.Length: > 0 };
        });

        Assert.Equal(leaf.SpiffeId, reported!.SpiffeId);
        Assert.Equal(leaf.NotAfter.ToUnixTimeSeconds(), reported.NotAfter.ToDateTimeOffset().ToUnixTimeSeconds());
    }

    private static CertificateRotation Certificates(RunningSidecar sidecar) => sidecar.Services.GetRequiredService<CertificateRotation>();

    private static string XfccHash(WorkloadCertificate certificate) => "Hash=" + Convert.ToHexStringLower(SHA256.HashData(certificate.Leaf.RawData));

    private async Task<(RunningSidecar Client, RunningSidecar Server)> StartMeshAsync(TimeSpan certificateTtl)
    {
        _silo = await StartSiloAsync(certificateTtl, grpcPort: 0);
        _mesh = MtlsMesh.Over(_silo.GrpcAddress);
        await _mesh.Harness.ApplyAsync(Policy);
        var app = await _mesh.StartAppAsync("reviews");
        var server = await _mesh.StartSidecarWithTokenAsync("reviews", app, "reviews", await CreateTokenAsync("reviews"), "app=reviews");
        var client = await _mesh.StartSidecarWithTokenAsync("productpage", null, "productpage", await CreateTokenAsync("productpage"), "app=productpage");
        await MeshHarness.WaitForEndpointsAsync(client, "reviews.default.svc.cluster.local", 1);
        await MeshHarness.WaitForConfigAsync(client, "maxRequestsPerConnection");
        await Eventually.Async("the first mTLS request (client identity in XFCC)", async () =>
        {
            using var response = await MtlsMesh.CallAsync(client, "reviews", "/");
            return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains(ClientIdentity, StringComparison.Ordinal);
        });
        return (client, server);
    }

    private Task<RunningSilo> StartSiloAsync(TimeSpan certificateTtl, int grpcPort, TimeSpan? heartbeatInterval = null)
    {
        var options = new SiloOptions { GrpcPort = grpcPort, HttpPort = 0, DataDir = Path.Combine(_root, "silo"), LogLevel = LogLevel.Warning, CertTtl = certificateTtl };
        if (heartbeatInterval is { } interval)
        {
            options.HeartbeatInterval = interval;
            options.EndpointTtl = interval * 3;
        }

        return SiloHost.StartAsync(options, CancellationToken.None).Within();
    }

    private async Task<string> CreateTokenAsync(string serviceAccount)
    {
        using var api = new GrpcClient(_silo!.GrpcAddress);
        var reply = await api.UnaryAsync("/runtime.mesh.v1.CertificateService/CreateToken", new V1.CreateTokenRequest { Namespace = "default", ServiceAccount = serviceAccount }, V1.CreateTokenResponse.Parser).Within();
        return reply.Token;
    }

    /// <summary>The thumbprint of the leaf the server sidecar presents in a new mTLS handshake from <paramref name="caller"/>.</summary>
    private static async Task<string> ServerLeafAsync(RunningSidecar server, WorkloadCertificate caller)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.InboundAddress.Port).WaitAsync(TestTimeouts.Default);
        await using var tls = new SslStream(tcp.GetStream());
        string? presented = null;
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "reviews",
            ClientCertificateContext = SslStreamCertificateContext.Create(caller.Leaf, caller.Chain, offline: true),
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()).Thumbprint;
                return certificate is not null;
            },
        }).WaitAsync(TestTimeouts.Default);
        return presented ?? "none";
    }
}
