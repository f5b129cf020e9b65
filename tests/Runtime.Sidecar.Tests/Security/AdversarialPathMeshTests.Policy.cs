using System.Collections.Concurrent;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// The request half of the adversarial authorization suite: a real sidecar in front of an app that records every
/// request target it receives, with a DENY policy on <c>/admin</c>, an internal host, <c>DELETE</c> and a header,
/// and an ALLOW list of paths. Every spelling of a denied request must be refused (403, or 400 when the sidecar
/// rejects the request outright), and only the rows expected to be served may reach the app.
/// </summary>
public sealed partial class AdversarialPathMeshTests
{
    private const string PathPolicies = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: web-deny
          namespace: default
        spec:
          action: DENY
          rules:
          - to: [{ operation: { paths: ["/admin", "/admin/*"] } }]
          - to: [{ operation: { hosts: ["internal.example.com"] } }]
          - to: [{ operation: { methods: ["DELETE"], paths: ["/data/*"] } }]
          - when: [{ key: "request.headers[x-role]", values: ["guest"] }]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: web-allow
          namespace: default
        spec:
          rules:
          - to: [{ operation: { paths: ["/public/*", "/admin", "/admin/*", "/data/*"] } }]
          - to: [{ operation: { paths: ["/vip/*"] } }]
            when: [{ key: "request.headers[x-tier]", values: ["gold"] }]
        """;

    // (method, raw target, Host, extra header lines, expected status). The app answers 200 with "web <target>".
    private static readonly (string Method, string Target, string Host, string Headers, int Status)[] PolicyRows =
    [
        // Served.
        ("GET", "/public/a", "web", "", 200),
        ("GET", "/public/a/b", "web", "", 200),
        ("HEAD", "/public/a", "web", "", 200),
        ("GET", "/public//a", "web", "", 200),
        ("GET", "/public/%61", "web", "", 200),
        ("GET", "/data/1", "web", "", 200),
        ("POST", "/data/1", "web", "", 200),
        ("GET", "/vip/x", "web", "x-tier: gold\r\n", 200),
        ("GET", "/public/a?/../admin", "web", "", 200),
        ("GET", "/public/a", "web", "x-role: admin\r\n", 200),

        // /admin however it is spelled.
        ("GET", "/admin", "web", "", 403),
        ("GET", "/admin/", "web", "", 403),
        ("GET", "/admin/users", "web", "", 403),
        ("GET", "/admin?x=1", "web", "", 403),
        ("GET", "/Admin", "web", "", 403),
        ("GET", "/ADMIN/users", "web", "", 403),
        ("GET", "/aDmIn", "web", "", 403),
        ("GET", "//admin", "web", "", 403),
        ("GET", "///admin//users", "web", "", 403),
        ("GET", "/%2Fadmin", "web", "", 403),
        ("GET", "/public/..%2Fadmin", "web", "", 403),
        ("GET", "/public/..%2fadmin", "web", "", 403),
        ("GET", "/public/..%5Cadmin", "web", "", 403),
        ("GET", "/public/..%5cadmin", "web", "", 403),
        ("GET", "/public/..\\admin", "web", "", 403),
        ("GET", "/public\\..\\admin", "web", "", 403),
        ("GET", "/public/..%2F..%2Fadmin", "web", "", 403),
        ("GET", "/%61dmin", "web", "", 403),
        ("GET", "/%61%64%6d%69%6e/users", "web", "", 403),
        ("GET", "/%41DMIN", "web", "", 403),
        ("GET", "/public/%2e%2e/admin", "web", "", 403),
        ("GET", "/public/%2E%2E/admin", "web", "", 403),
        ("GET", "/public/.%2e/admin", "web", "", 403),
        ("GET", "/public/%2e./admin", "web", "", 403),
        ("GET", "/public/../admin", "web", "", 403),
        ("GET", "/../admin", "web", "", 403),
        ("GET", "/./admin", "web", "", 403),
        ("GET", "/admin/.", "web", "", 403),
        ("GET", "/admin%2F", "web", "", 403),
        ("GET", "/admin;jsessionid=1", "web", "", 403),
        ("GET", "/admin;x/users", "web", "", 403),
        ("GET", "/ADMIN;x", "web", "", 403),
        ("GET", "/public;x/../admin", "web", "", 403),
        ("GET", "/admin#x", "web", "", 403),
        ("GET", "/public/a#/../../admin", "web", "", 200),

        // Refused outright: NUL, control characters, Tomcat's ";" on dot segments, bad methods, bad header names.
        ("GET", "/admin%00", "web", "", 400),
        ("GET", "/public/a%00", "web", "", 400),
        ("GET", "/public/%01a", "web", "", 400),
        ("GET", "/public/..;/admin", "web", "", 400),
        ("GET", "/public/.;/admin", "web", "", 400),
        ("GET", "/public/..;x=1/admin", "web", "", 400),
        ("get", "/admin", "web", "", 400),
        ("get", "/public/a", "web", "", 400),
        ("delete", "/data/1", "web", "", 400),
        ("Delete", "/data/1", "web", "", 400),
        ("GET", "/public/a", "web", "x-role : guest\r\n", 400),

        // The other DENY rules: host (case, trailing dot, port), method, header (duplicates count).
        ("GET", "/public/a", "internal.example.com", "", 403),
        ("GET", "/public/a", "INTERNAL.Example.COM", "", 403),
        ("GET", "/public/a", "internal.example.com.", "", 403),
        ("GET", "/public/a", "internal.example.com:8080", "", 403),
        ("GET", "/public/a", "Internal.Example.Com.:80", "", 403),
        ("DELETE", "/data/1", "web", "", 403),
        ("DELETE", "/data//1", "web", "", 403),
        ("DELETE", "/public/..%2Fdata/1", "web", "", 403),
        ("DELETE", "/DATA/1", "web", "", 403),
        ("GET", "/public/a", "web", "x-role: guest\r\n", 403),
        ("GET", "/public/a", "web", "X-ROLE: guest\r\n", 403),
        ("GET", "/public/a", "web", "x-role: admin\r\nx-role: guest\r\n", 403),
        ("GET", "/public/a", "web", "x-role: guest\r\nx-role: admin\r\n", 403),

        // Not on the ALLOW list, or its condition unmet.
        ("GET", "/other", "web", "", 403),
        ("GET", "/publicx/a", "web", "", 403),
        ("GET", "/vip/x", "web", "", 403),
        ("GET", "/vip/x", "web", "x-tier: silver\r\n", 403),
        ("GET", "/vip/x", "web", "x-tier: gold\r\nx-tier: silver\r\n", 403),
        ("GET", "/public/../vip/x", "web", "", 403),
    ];

    [Fact]
    public async Task Inbound_AdversarialRequestsAgainstPathHostMethodAndHeaderPolicies_NoneIsABypass()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var seen = new ConcurrentQueue<string>();
        await using var app = await StartRawTargetAppAsync("web", seen);
        var sidecar = await mesh.StartSidecarAsync("web", app);
        await mesh.ApplyAsync(PathPolicies);
        await MeshHarness.WaitForConfigAsync(sidecar, "web-allow");

        var wrong = new List<string>();
        var served = 0;
        foreach (var (method, target, host, headers, expected) in PolicyRows)
        {
            var before = seen.Count;
            var response = await SendAsync(sidecar.InboundAddress, method, target, host, headers);
            var reachedApp = seen.Count > before;
            served += reachedApp ? 1 : 0;
            if (response.Status != expected || reachedApp != (expected == 200))
            {
                wrong.Add($"{method} {target} Host: {host} {headers.Replace("\r\n", "; ", StringComparison.Ordinal)}: expected {expected}, got {response.Status} (app {(reachedApp ? "reached" : "not reached")}) {response.Body}");
            }
            else if (expected == 403 && response.Body != "RBAC: access denied")
            {
                wrong.Add($"{method} {target}: 403 without the RBAC body: {response.Body}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(PolicyRows.Count(r => r.Status == 200), served);
        Assert.True(PolicyRows.Length >= 60, "the request rows alone make a 60+ request adversarial suite");
    }
}
