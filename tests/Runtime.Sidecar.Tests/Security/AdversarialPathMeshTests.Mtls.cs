using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// The identity half of the adversarial suite, over real TLS on loopback: the reviews sidecar (PERMISSIVE, the
/// default) carries policies on principals, namespaces, their not-forms and the <c>source.*</c> conditions, and is
/// called in plaintext (HTTP/1.1, h2c, with a forged XFCC), over mTLS with mesh certificates of three identities,
/// through client sidecars with and without a certificate, and with certificates the mesh must refuse at the
/// handshake (foreign CA, foreign trust domain, none). Each row has its expected status; the app records every
/// row that reached it, and exactly the rows expected to be served may have reached it: no row is a bypass.
/// </summary>
public sealed partial class AdversarialPathMeshTests
{
    // Plaintext has no principal and no namespace: ALLOW rules on them never match it, not-forms included; a DENY
    // written with a not-form (notPrincipals: ["*"], notNamespaces) does match it, so it cannot be bypassed by
    // dropping TLS (ISTIO-SECURITY-2021-004). A DENY on a positive principal cannot identify plaintext at all.
    private const string IdentityPolicies = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: identity-allow
          namespace: default
        spec:
          selector:
            matchLabels: { app: reviews }
          rules:
          - to: [{ operation: { paths: ["/public/*", "/deny-notp/*", "/deny-notns/*"] } }]
          - from: [{ source: { principals: ["cluster.local/ns/default/sa/productpage"] } }]
            to: [{ operation: { paths: ["/p/*"] } }]
          - from: [{ source: { namespaces: ["default"] } }]
            to: [{ operation: { paths: ["/ns/*"] } }]
          - from: [{ source: { notPrincipals: ["cluster.local/ns/default/sa/attacker"] } }]
            to: [{ operation: { paths: ["/notp/*"] } }]
          - from: [{ source: { notNamespaces: ["evil"] } }]
            to: [{ operation: { paths: ["/notns/*"] } }]
          - from: [{ source: { principals: ["*"] } }]
            to: [{ operation: { paths: ["/anyp/*"] } }]
          - to: [{ operation: { paths: ["/cond/*"] } }]
            when: [{ key: source.principal, values: ["cluster.local/ns/default/sa/productpage"] }]
          - to: [{ operation: { paths: ["/condns/*"] } }]
            when: [{ key: source.namespace, notValues: ["evil"] }]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: identity-deny
          namespace: default
        spec:
          selector:
            matchLabels: { app: reviews }
          action: DENY
          rules:
          - from: [{ source: { notPrincipals: ["*"] } }]
            to: [{ operation: { paths: ["/deny-notp/*"] } }]
          - from: [{ source: { notNamespaces: ["default"] } }]
            to: [{ operation: { paths: ["/deny-notns/*"] } }]
          - from: [{ source: { principals: ["cluster.local/ns/default/sa/attacker"] } }]
            to: [{ operation: { paths: ["/public/*"] } }]
        """;

    // 0 = the TLS handshake is refused (the request never reaches policy or the app).
    private const int Refused = 0;

    private static readonly (string Caller, string Path, int Status)[] IdentityRows =
    [
        // Plaintext under PERMISSIVE.
        ("plain", "/public/a", 200),
        ("plain", "/p/a", 403),
        ("plain", "/ns/a", 403),
        ("plain", "/notp/a", 403),
        ("plain", "/notns/a", 403),
        ("plain", "/anyp/a", 403),
        ("plain", "/cond/a", 403),
        ("plain", "/condns/a", 403),
        ("plain", "/deny-notp/a", 403),
        ("plain", "/deny-notns/a", 403),
        ("plain", "/public/..%2Fp/a", 403),
        ("plain", "/public/..%2Fdeny-notp/a", 403),
        ("plain", "/P/a", 403),
        ("h2c", "/p/a", 403),
        ("h2c", "/notp/a", 403),
        ("h2c", "/deny-notp/a", 403),
        ("plain+forged-xfcc", "/p/a", 403),
        ("plain+forged-xfcc", "/notns/a", 403),
        ("plain+forged-xfcc", "/cond/a", 403),
        ("plain+forged-xfcc", "/deny-notp/a", 403),
        ("sidecar-no-cert", "/p/a", 403),
        ("sidecar-no-cert", "/notp/a", 403),
        ("sidecar-no-cert", "/deny-notp/a", 403),
        ("sidecar-no-cert", "/public/a", 200),

        // mTLS with mesh certificates.
        ("mtls-productpage", "/public/a", 200),
        ("mtls-productpage", "/p/a", 200),
        ("mtls-productpage", "/ns/a", 200),
        ("mtls-productpage", "/notp/a", 200),
        ("mtls-productpage", "/notns/a", 200),
        ("mtls-productpage", "/anyp/a", 200),
        ("mtls-productpage", "/cond/a", 200),
        ("mtls-productpage", "/condns/a", 200),
        ("mtls-productpage", "/deny-notp/a", 200),
        ("mtls-productpage", "/deny-notns/a", 200),
        ("mtls-productpage", "/public/..%2Fp/a", 200),
        ("mtls-attacker", "/public/a", 403),
        ("mtls-attacker", "/public/..%2Fpublic/a", 403),
        ("mtls-attacker", "/p/a", 403),
        ("mtls-attacker", "/ns/a", 200),
        ("mtls-attacker", "/notp/a", 403),
        ("mtls-attacker", "/cond/a", 403),
        ("mtls-evil", "/notns/a", 403),
        ("mtls-evil", "/condns/a", 403),
        ("mtls-evil", "/deny-notns/a", 403),
        ("mtls-evil", "/ns/a", 403),
        ("mtls-evil", "/anyp/a", 200),
        ("sidecar-productpage", "/p/a", 200),
        ("sidecar-productpage", "/notp/a", 200),
        ("sidecar-productpage", "/deny-notp/a", 200),
        ("sidecar-productpage", "/cond/a", 200),

        // Certificates the handshake refuses, whatever identity they claim.
        ("foreign-ca", "/public/a", Refused),
        ("foreign-ca", "/p/a", Refused),
        ("foreign-ca", "/deny-notp/a", Refused),
        ("foreign-trust-domain", "/public/a", Refused),
        ("foreign-trust-domain", "/p/a", Refused),
        ("foreign-trust-domain", "/notp/a", Refused),
        ("no-client-certificate", "/public/a", Refused),
        ("no-client-certificate", "/p/a", Refused),
    ];

    [Fact]
    public async Task Inbound_PlaintextAndForeignPeers_NeverBypassIdentityRules()
    {
        await using var mesh = await MtlsMesh.StartAsync();
        var reached = new ConcurrentQueue<int>();
        await using var app = await TestServer.StartAsync(context =>
        {
            reached.Enqueue(int.Parse(context.Request.Query["row"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
            return context.Response.WriteAsync("reviews");
        });
        var reviews = await mesh.StartSidecarAsync("reviews", app, "reviews", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("reviews")), "app=reviews");
        var productpage = await mesh.StartSidecarAsync("productpage", null, "productpage", mesh.Ca.SourceFor(TlsTestCa.SpiffeId("productpage")));
        var nocert = await mesh.StartSidecarAsync("ratings", null, "ratings", certificates: null);
        await mesh.Harness.ApplyAsync(IdentityPolicies);
        await MeshHarness.WaitForConfigAsync(reviews, "identity-deny");
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);
        await MeshHarness.WaitForEndpointsAsync(nocert, "reviews.default.svc.cluster.local", 1);
        using var foreignCa = new TlsTestCa("foreign root");
        var certificates = new Dictionary<string, X509Certificate2?>
        {
            ["mtls-productpage"] = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage")]),
            ["mtls-attacker"] = mesh.Ca.Issue([TlsTestCa.SpiffeId("attacker")]),
            ["mtls-evil"] = mesh.Ca.Issue([TlsTestCa.SpiffeId("x", ns: "evil")]),
            ["foreign-ca"] = foreignCa.Issue([TlsTestCa.SpiffeId("productpage")]),
            ["foreign-trust-domain"] = mesh.Ca.Issue([TlsTestCa.SpiffeId("productpage", trustDomain: "evil.example")]),
            ["no-client-certificate"] = null,
        };

        var wrong = new List<string>();
        try
        {
            for (var row = 0; row < IdentityRows.Length; row++)
            {
                var (caller, path, expected) = IdentityRows[row];
                var target = $"{path}?row={row}";
                var status = caller switch
                {
                    "plain" => await PlainAsync(reviews, target, HttpVersion.Version11, forgedXfcc: false),
                    "h2c" => await PlainAsync(reviews, target, HttpVersion.Version20, forgedXfcc: false),
                    "plain+forged-xfcc" => await PlainAsync(reviews, target, HttpVersion.Version11, forgedXfcc: true),
                    "sidecar-productpage" => await ViaSidecarAsync(productpage, target),
                    "sidecar-no-cert" => await ViaSidecarAsync(nocert, target),
                    _ => await MtlsAsync(mesh, reviews, certificates[caller], target),
                };
                if (status != expected)
                {
                    wrong.Add($"row {row} {caller} {path}: expected {Describe(expected)}, got {Describe(status)}");
                }
            }
        }
        finally
        {
            foreach (var certificate in certificates.Values)
            {
                certificate?.Dispose();
            }
        }

        // Every request that reached the app was a row expected to be served, and every served row reached it once.
        var served = Enumerable.Range(0, IdentityRows.Length).Where(r => IdentityRows[r].Status == 200);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(served, reached.Order());
        Assert.True(IdentityRows.Length >= 50, "the identity rows are part of the 60+ request adversarial suite");
    }

    private static string Describe(int status) => status == Refused ? "handshake refused" : status.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<int> PlainAsync(RunningSidecar server, string target, Version version, bool forgedXfcc)
    {
        using var client = MtlsMesh.PlainClient(version);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.InboundAddress, target)) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Host = "reviews";
        if (forgedXfcc)
        {
            request.Headers.TryAddWithoutValidation("x-forwarded-client-cert", $"By={TlsTestCa.SpiffeId("reviews")};URI={TlsTestCa.SpiffeId("productpage")}");
        }

        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static async Task<int> ViaSidecarAsync(RunningSidecar client, string target)
    {
        using var response = await MtlsMesh.CallAsync(client, "reviews", target);
        return (int)response.StatusCode;
    }

    private static async Task<int> MtlsAsync(MtlsMesh mesh, RunningSidecar server, X509Certificate2? certificate, string target)
    {
        using var client = mesh.TlsClient(certificate, HttpVersion.Version11);
        try
        {
            using var response = await client.GetAsync(MtlsMesh.Https(server, target));
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return Refused;
        }
    }
}
