using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Runtime.Cli.Tests.Testing;
using static Runtime.Cli.Tests.Testing.FakeSidecar;

namespace Runtime.Cli.Tests.Commands;

/// <summary><c>meshctl x authz check</c> against a real control plane: the policies in force at a proxy and dry-run decisions.</summary>
public sealed class AuthzCheckCommandTests
{
    private const string Policies = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: audit-all
          namespace: mesh-system
        spec:
          action: AUDIT
          rules:
          - {}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: reviews-read
          namespace: default
        spec:
          selector:
            matchLabels:
              app: reviews
          rules:
          - to:
            - operation:
                methods: ["GET"]
                paths: ["/public/*"]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: reviews-secret
          namespace: default
        spec:
          selector:
            matchLabels:
              app: reviews
          action: DENY
          rules:
          - to:
            - operation:
                paths: ["/public/secret"]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: from-productpage
          namespace: default
        spec:
          rules:
          - from:
            - source:
                principals: ["cluster.local/ns/default/sa/productpage"]
            to:
            - operation:
                paths: ["/internal/*"]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: ratings-only
          namespace: default
        spec:
          selector:
            matchLabels:
              app: ratings
          rules:
          - {}
        """;

    [Fact]
    public async Task Check_Proxy_ListsPoliciesInEvaluationOrderAndDecidesRequestsAsTheSidecar()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var reviews = await StartReviewsAsync(plane);

        var listing = await plane.RunAsync("x", "authz", "check", "reviews-v1-1");
        var denied = await Decide(plane, "--path", "/public/secret");
        var allowed = await Decide(plane, "--path", "/public/a?x=1");
        var noAllowMatched = await Decide(plane, "--method", "POST", "--path", "/public/a");
        var encodedDots = await Decide(plane, "--path", "/public/a/%2e%2e/secret");
        var tomcat = await Decide(plane, "--path", "/x/..;/public/secret");
        var lowercase = await Decide(plane, "--method", "get", "--path", "/public/a");
        var withPrincipal = await Decide(plane, "--principal", "cluster.local/ns/default/sa/productpage", "--path", "/internal/x");
        var plaintext = await Decide(plane, "--path", "/internal/x");

        Assert.True(listing.ExitCode == 0, listing.ToString());
        var rows = listing.OutputLines.SkipWhile(l => !l.StartsWith("ORDER", StringComparison.Ordinal)).ToArray();
        Assert.Matches(@"^ORDER\s+ACTION\s+POLICY\s+SCOPE\s+RULES$", rows[0]);
        Assert.Matches(@"^1\s+DENY\s+default/reviews-secret\s+workload app=reviews\s+1$", rows[1]);
        Assert.Contains(rows[2..4], r => Regex.IsMatch(r, @"^\d\s+ALLOW\s+default/reviews-read\s+workload app=reviews\s+1$"));
        Assert.Contains(rows[2..4], r => Regex.IsMatch(r, @"^\d\s+ALLOW\s+default/from-productpage\s+namespace\s+1$"));
        Assert.Matches(@"^4\s+AUDIT\s+mesh-system/audit-all\s+mesh\s+1$", rows[4]);
        Assert.Equal(5, rows.Length);
        Assert.DoesNotContain(listing.OutputLines, l => l.StartsWith("Decision:", StringComparison.Ordinal));
        Assert.Equal("Decision:       DENY (403 RBAC: access denied) by policy default/reviews-secret rule 0: matched a DENY policy; audited by mesh-system/audit-all", denied);
        Assert.Equal("Decision:       ALLOW by policy default/reviews-read rule 0: matched an ALLOW policy; audited by mesh-system/audit-all", allowed);
        Assert.Equal("Decision:       DENY (403 RBAC: access denied): ALLOW policies apply and none matched; audited by mesh-system/audit-all", noAllowMatched);
        Assert.StartsWith("Decision:       DENY (403 RBAC: access denied) by policy default/reviews-secret rule 0", encodedDots, StringComparison.Ordinal);
        Assert.StartsWith("Decision:       400 Bad Request before authorization: ", tomcat, StringComparison.Ordinal);
        Assert.Contains(";", tomcat, StringComparison.Ordinal);
        Assert.StartsWith("Decision:       400 Bad Request before authorization: the method 'get' is not upper-case", lowercase, StringComparison.Ordinal);
        Assert.StartsWith("Decision:       ALLOW by policy default/from-productpage rule 0", withPrincipal, StringComparison.Ordinal);
        Assert.StartsWith("Decision:       DENY (403 RBAC: access denied): ALLOW policies apply and none matched", plaintext, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_JsonOutput_CarriesPoliciesCanonicalPathAndDecision()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var reviews = await StartReviewsAsync(plane);

        var result = await plane.RunAsync("x", "authz", "check", "reviews.default", "--path", "//public/./b/../secret", "--header", "x-user=alice", "--source-ip", "10.0.0.9", "-o", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var root = document.RootElement;
        Assert.Equal(("reviews-v1-1", "reviews", "default"), (root.GetProperty("proxy").GetString(), root.GetProperty("service").GetString(), root.GetProperty("namespace").GetString()));
        Assert.Equal(["DENY", "ALLOW", "ALLOW", "AUDIT"], root.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("action").GetString()));
        Assert.Equal("app=reviews", root.GetProperty("policies")[0].GetProperty("selector").GetString());
        Assert.Equal("/public/secret", root.GetProperty("request").GetProperty("canonicalPath").GetString());
        Assert.Equal("10.0.0.9", root.GetProperty("request").GetProperty("sourceIp").GetString());
        var decision = root.GetProperty("decision");
        Assert.Equal((403, "DENY", "default/reviews-secret", 0, "matched a DENY policy"), (
            decision.GetProperty("status").GetInt32(), decision.GetProperty("result").GetString(), decision.GetProperty("policy").GetString(),
            decision.GetProperty("rule").GetInt32(), decision.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Check_PeerFromAliasTrustDomain_MatchesACusterLocalPrincipal()
    {
        await using var plane = await ControlPlane.StartAsync(o =>
        {
            o.TrustDomain = "new-td";
            o.TrustDomainAliases.Add("old-td");
        });
        using var reviews = await StartReviewsAsync(plane);

        var result = await plane.RunAsync("x", "authz", "check", "reviews-v1-1", "--principal", "old-td/ns/default/sa/productpage", "--path", "/internal/x");
        var foreign = await plane.RunAsync("x", "authz", "check", "reviews-v1-1", "--principal", "foreign-td/ns/default/sa/productpage", "--path", "/internal/x");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Trust domains:  new-td, old-td", result.OutputLines);
        Assert.Single(result.OutputLines, l => l.StartsWith("Decision:       ALLOW by policy default/from-productpage rule 0", StringComparison.Ordinal));
        Assert.Single(foreign.OutputLines, l => l.StartsWith("Decision:       DENY (403 RBAC: access denied): ALLOW policies apply and none matched", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_UnknownProxyOrMalformedFlags_ClearErrors()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var reviews = await StartReviewsAsync(plane);

        var unknown = await plane.RunAsync("x", "authz", "check", "nope-1");
        var malformed = await plane.RunAsync("x", "authz", "check", "reviews-v1-1", "--principal", "productpage", "--source-ip", "10.0.0.300", "--header", "novalue", "--sni", "x");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("Error from server (NotFound): no registered proxy is \"nope-1\"; meshctl proxy-status lists them", unknown.Error.Trim());
        Assert.Equal(1, malformed.ExitCode);
        Assert.Equal(
            [
                "error: --header 'novalue' is not name=value",
                "error: --principal 'productpage' is not a principal of the form <trust-domain>/ns/<namespace>/sa/<service-account>",
                "error: --sni needs --principal or --namespace: only an mTLS connection has a server name (plaintext never matches connection.sni)",
                "error: --source-ip '10.0.0.300' is not an IPv4 or IPv6 address",
            ],
            malformed.ErrorLines);
    }

    [Fact]
    public async Task Check_ControlPlaneUnreachable_SaysWhereItLooked()
    {
        // A port that was just free on loopback: nothing listens there.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Meshctl.RunAsync($"http://127.0.0.1:{port}", null, "x", "authz", "check", "reviews-v1-1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", result.Error, StringComparison.Ordinal);
        Assert.Contains("is it running?", result.Error, StringComparison.Ordinal);
    }

    private static async Task<FakeSidecar> StartReviewsAsync(ControlPlane plane)
    {
        await plane.RunWithInputAsync(Policies, "apply", "-f", "-");
        var reviews = await RegisterAsync(plane.Server, "reviews", "default", "10.0.1.1", "reviews-v1-1", ("app", "reviews"));
        await reviews.WaitForAsync(s => HasResource(s, "AuthorizationPolicy", "reviews-secret") && HasResource(s, "AuthorizationPolicy", "audit-all"), "the policies");
        return reviews;
    }

    private static async Task<string> Decide(ControlPlane plane, params string[] flags)
    {
        var result = await plane.RunAsync(["x", "authz", "check", "reviews-v1-1", .. flags]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return Assert.Single(result.OutputLines, l => l.StartsWith("Decision:", StringComparison.Ordinal));
    }
}
