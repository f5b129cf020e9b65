using System.Net;
using System.Security.Cryptography.X509Certificates;
using Runtime.Sidecar.Tests.Mesh;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// DestinationRule <c>tls</c> SIMPLE and MUTUAL towards a real HTTPS upstream outside the mesh (a ServiceEntry),
/// verified with the rule's own CA file and names; the client sidecar needs no mesh identity for this.
/// </summary>
public sealed class MtlsExternalOriginationTests
{
    [Fact]
    public async Task Outbound_DestinationRuleSimpleAndMutual_OriginateVerifiedTls()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var files = Directory.CreateTempSubdirectory("mtls-files-").FullName;
        try
        {
            using var serverCertificate = mesh.Ca.IssueServer("external.test");
            using var clientCertificate = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]);
            var rootFile = Path.Combine(files, "root.pem");
            var certFile = Path.Combine(files, "client.pem");
            var keyFile = Path.Combine(files, "client-key.pem");
            await File.WriteAllTextAsync(rootFile, mesh.Ca.Root.ExportCertificatePem());
            await File.WriteAllTextAsync(certFile, clientCertificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyFile, clientCertificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());

            var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", certificates: null);
            await AssertCaseAsync(mesh, productpage, serverCertificate, "simple", $"mode: SIMPLE\n      caCertificates: {rootFile}\n      sni: external.test", HttpStatusCode.OK, "tls client=none");
            await AssertCaseAsync(mesh, productpage, serverCertificate, "mutual", $"mode: MUTUAL\n      caCertificates: {rootFile}\n      clientCertificate: {certFile}\n      privateKey: {keyFile}\n      sni: external.test", HttpStatusCode.OK, "tls client=CN=workload");
            await AssertCaseAsync(mesh, productpage, serverCertificate, "wrongname", $"mode: SIMPLE\n      caCertificates: {rootFile}\n      subjectAltNames: [other.test]", HttpStatusCode.ServiceUnavailable, null);
            await AssertCaseAsync(mesh, productpage, serverCertificate, "matchingname", $"mode: SIMPLE\n      caCertificates: {rootFile}\n      subjectAltNames: [other.test, external.test]", HttpStatusCode.OK, "tls client=none");
            await AssertCaseAsync(mesh, productpage, serverCertificate, "nofile", $"mode: SIMPLE\n      caCertificates: {Path.Combine(files, "missing.pem")}", HttpStatusCode.ServiceUnavailable, null);
            using var foreign = new TlsTestCa("foreign root");
            var foreignFile = Path.Combine(files, "foreign.pem");
            await File.WriteAllTextAsync(foreignFile, foreign.Root.ExportCertificatePem());
            await AssertCaseAsync(mesh, productpage, serverCertificate, "foreignca", $"mode: SIMPLE\n      caCertificates: {foreignFile}\n      sni: external.test", HttpStatusCode.ServiceUnavailable, null);
        }
        finally
        {
            Directory.Delete(files, recursive: true);
        }
    }

    private static async Task AssertCaseAsync(
        MtlsMesh mesh, Runtime.Sidecar.Hosting.RunningSidecar sidecar, X509Certificate2 serverCertificate, string name, string tls, HttpStatusCode status, string? body)
    {
        await using var upstream = await HttpsUpstream.StartAsync(serverCertificate, mesh.Ca);
        var host = $"{name}.external.test";
        await mesh.Harness.ApplyAsync($"""
            apiVersion: networking.istio.io/v1beta1
            kind: ServiceEntry
            metadata:
              name: {name}
            spec:
              hosts: [{host}]
              location: MESH_EXTERNAL
              resolution: STATIC
              ports:
              - number: 80
                name: http
                protocol: HTTP
              endpoints:
              - address: 127.0.0.1
                ports: {"{"} http: {upstream.Port} {"}"}
            ---
            apiVersion: networking.istio.io/v1beta1
            kind: DestinationRule
            metadata:
              name: {name}
            spec:
              host: {host}
              trafficPolicy:
                tls:
                  {tls}
            """);
        await MeshHarness.WaitForConfigAsync(sidecar, host);
        await MeshHarness.WaitForEndpointsAsync(sidecar, host, 1);

        using var response = await MtlsMesh.CallAsync(sidecar, host, "/x");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{name}: expected {status}, got {response.StatusCode}: {text}");
        if (body is not null)
        {
            Assert.Equal(body, text);
        }
    }
}
