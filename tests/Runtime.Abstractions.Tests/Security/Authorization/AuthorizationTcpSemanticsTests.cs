using static Runtime.Abstractions.Tests.Security.Authorization.AuthorizationSemanticsTests;

namespace Runtime.Abstractions.Tests.Security.Authorization;

/// <summary>
/// Istio's AuthorizationPolicy semantics for TCP traffic: HTTP-only fields (hosts, methods, paths, requestPrincipals,
/// request headers, JWT conditions) cannot match a connection, so an ALLOW rule naming any of them never matches it,
/// while in DENY rules they are ignored and the rest of the rule decides (the DENY gets stricter, never looser).
/// </summary>
public sealed class AuthorizationTcpSemanticsTests
{
    private static readonly AuthorizationTestRequest Tcp = new() { Tcp = true, Peer = "default/reviews", Method = "", Path = "", Host = "" };

    private static readonly Dictionary<string, (string Yaml, AuthorizationTestRequest Request, string Expected)> Rows = new()
    {
        ["ALLOW by namespace passes"] = (Policy("a", "{rules: [{from: [{source: {namespaces: [default]}}]}]}"), Tcp, "allow default/a#0"),
        ["ALLOW by port passes"] = (Policy("a", "{rules: [{to: [{operation: {ports: ['9080']}}]}]}"), Tcp, "allow default/a#0"),
        ["ALLOW with methods never matches TCP"] = (Policy("a", "{rules: [{to: [{operation: {methods: [GET]}}]}]}"), Tcp, "deny"),
        ["ALLOW with methods matches HTTP"] = (Policy("a", "{rules: [{to: [{operation: {methods: [GET]}}]}]}"), Tcp with { Tcp = false, Method = "GET", Path = "/" }, "allow default/a#0"),
        ["ALLOW namespace and paths in one rule never matches TCP"] = (Policy("a", "{rules: [{from: [{source: {namespaces: [default]}}], to: [{operation: {paths: [/x]}}]}]}"), Tcp, "deny"),
        ["ALLOW: a rule without HTTP fields still matches next to one with"] = (Policy("a", "{rules: [{to: [{operation: {hosts: [x]}}]}, {from: [{source: {namespaces: [default]}}]}]}"), Tcp, "allow default/a#1"),
        ["ALLOW with requestPrincipals never matches TCP"] = (Policy("a", "{rules: [{from: [{source: {requestPrincipals: ['*']}}]}]}"), Tcp, "deny"),
        ["ALLOW with a header condition never matches TCP"] = (Policy("a", "{rules: [{when: [{key: 'request.headers[x-a]', values: ['1']}]}]}"), Tcp, "deny"),
        ["ALLOW with a source.namespace condition matches TCP"] = (Policy("a", "{rules: [{when: [{key: source.namespace, values: [default]}]}]}"), Tcp, "allow default/a#0"),
        ["DENY with methods denies every TCP connection"] = (Policy("d", "{action: DENY, rules: [{to: [{operation: {methods: [GET]}}]}]}"), Tcp, "deny default/d#0"),
        ["DENY methods and port: the port decides"] = (Policy("d", "{action: DENY, rules: [{to: [{operation: {methods: [GET], ports: ['9000']}}]}]}"), Tcp, "allow"),
        ["DENY methods and port: matching port denies"] = (Policy("d", "{action: DENY, rules: [{to: [{operation: {methods: [GET], ports: ['9080']}}]}]}"), Tcp, "deny default/d#0"),
        ["DENY by principal"] = (Policy("d", "{action: DENY, rules: [{from: [{source: {principals: [cluster.local/ns/default/sa/reviews]}}]}]}"), Tcp, "deny default/d#0"),
        ["DENY JWT claim ignored for TCP"] = (Policy("d", "{action: DENY, rules: [{when: [{key: 'request.auth.claims[iss]', values: [x]}]}]}"), Tcp, "deny default/d#0"),
        ["DENY notPaths ignored for TCP, HTTP unaffected"] = (Policy("d", "{action: DENY, rules: [{to: [{operation: {notPaths: [/public]}}]}]}"), Tcp with { Tcp = false, Method = "GET", Path = "/public" }, "allow"),
    };

    public static TheoryData<string> Names => [.. Rows.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Evaluate_TcpRow_FollowsIstioTcpSemantics(string name)
    {
        var (yaml, request, expected) = Rows[name];
        var problems = new List<string>();

        var decision = Compile(yaml, problems).Evaluate(request.ToRequest());

        var actual = (decision.Allowed ? "allow" : "deny") + (decision.Policy is null ? "" : $" {decision.Policy}#{decision.RuleIndex}");
        Assert.True(expected == actual, $"row '{name}': expected '{expected}', got '{actual}' ({decision.Reason}); problems: {string.Join(" | ", problems)}");
    }
}
