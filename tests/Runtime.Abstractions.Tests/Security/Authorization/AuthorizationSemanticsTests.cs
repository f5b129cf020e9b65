using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security.Authorization;

namespace Runtime.Abstractions.Tests.Security.Authorization;

/// <summary>
/// Istio's AuthorizationPolicy semantics as a table: each row is policies (YAML), a request, and the expected
/// decision with the deciding policy and rule (<c>allow</c>/<c>deny</c> alone when no policy decided).
/// The workload is productpage in namespace default with labels app=productpage, version=v1.
/// </summary>
public sealed class AuthorizationSemanticsTests
{
    private static readonly AuthorizationTestRequest Get = new();
    private static readonly AuthorizationTestRequest Mtls = new() { Peer = "default/reviews" };
    private const string Token = """{"iss": "https://issuer.example", "sub": "alice", "aud": ["api", "web"], "azp": "spa", "groups": ["admins", "dev"], "org": {"team": "core"}, "level": 3}""";

    private static readonly Dictionary<string, Row> Rows = new()
    {
        // Evaluation order and the idioms.
        ["no policies allow"] = new("", Get, "allow"),
        ["spec {} denies all"] = new(Allow("deny-all", "{}"), Get, "deny"),
        ["rules [{}] allows all"] = new(Allow("allow-all", "{rules: [{}]}"), Get, "allow default/allow-all#0"),
        ["DENY rules [{}] denies all"] = new(Deny("deny-all", "[{}]"), Get, "deny default/deny-all#0"),
        ["DENY without rules is inert"] = new(Policy("inert", "{action: DENY}"), Get, "allow"),
        ["DENY before ALLOW"] = new(Allow("a", "{rules: [{}]}") + Deny("d", "[{to: [{operation: {paths: [/x]}}]}]"), Get with { Path = "/x" }, "deny default/d#0"),
        ["DENY not matching, ALLOW decides"] = new(Allow("a", "{rules: [{}]}") + Deny("d", "[{to: [{operation: {paths: [/x]}}]}]"), Get with { Path = "/y" }, "allow default/a#0"),
        ["CUSTOM without authorizer denies its matches"] = new(Allow("a", "{rules: [{}]}") + Policy("ext", "{action: CUSTOM, provider: {name: opa}, rules: [{to: [{operation: {paths: [/admin/*]}}]}]}"), Get with { Path = "/admin/x" }, "deny default/ext#0"),
        ["CUSTOM not matching leaves the rest"] = new(Allow("a", "{rules: [{}]}") + Policy("ext", "{action: CUSTOM, provider: {name: opa}, rules: [{to: [{operation: {paths: [/admin/*]}}]}]}"), Get with { Path = "/public" }, "allow default/a#0"),
        ["CUSTOM before DENY"] = new(Deny("d", "[{}]") + Policy("ext", "{action: CUSTOM, provider: {name: opa}, rules: [{}]}"), Get, "deny default/ext#0"),
        ["AUDIT alone changes nothing"] = new(Policy("audit", "{action: AUDIT, rules: [{}]}"), Get, "allow"),
        ["AUDIT does not rescue spec {}"] = new(Policy("audit", "{action: AUDIT, rules: [{}]}") + Allow("deny-all", "{}"), Get, "deny"),
        ["ALLOW present, none matches"] = new(Allow("a", "{rules: [{to: [{operation: {paths: [/a]}}]}]}"), Get with { Path = "/b" }, "deny"),
        ["second ALLOW policy matches"] = new(Allow("a", "{rules: [{to: [{operation: {paths: [/a]}}]}]}") + Allow("b", "{rules: [{to: [{operation: {paths: [/b]}}]}]}"), Get with { Path = "/b" }, "allow default/b#0"),

        // Rules ORed, fields ANDed, values ORed.
        ["rules ORed: second rule"] = new(Allow("a", "{rules: [{to: [{operation: {paths: [/a]}}]}, {to: [{operation: {paths: [/b]}}]}]}"), Get with { Path = "/b" }, "allow default/a#1"),
        ["values ORed"] = new(Allow("a", "{rules: [{to: [{operation: {paths: [/a, /b]}}]}]}"), Get with { Path = "/b" }, "allow default/a#0"),
        ["fields ANDed: both"] = new(Allow("a", "{rules: [{to: [{operation: {paths: [/a], methods: [GET]}}]}]}"), Get with { Path = "/a" }, "allow default/a#0"),
        ["fields ANDed: method differs"] = new(Allow("a", "{rules: [{to: [{operation: {paths: [/a], methods: [GET]}}]}]}"), Get with { Path = "/a", Method = "POST" }, "deny"),
        ["to entries ORed"] = new(Allow("a", "{rules: [{to: [{operation: {paths: [/a]}}, {operation: {methods: [POST]}}]}]}"), Get with { Path = "/z", Method = "POST" }, "allow default/a#0"),
        ["from and to ANDed"] = new(Allow("a", "{rules: [{from: [{source: {namespaces: [default]}}], to: [{operation: {paths: [/a]}}]}]}"), Mtls with { Path = "/b" }, "deny"),
        ["when conditions ANDed"] = new(Allow("a", "{rules: [{when: [{key: 'request.headers[x-a]', values: ['1']}, {key: 'request.headers[x-b]', values: ['2']}]}]}"), Get with { Headers = [("x-a", "1")] }, "deny"),
        ["from sources ORed"] = new(Allow("a", "{rules: [{from: [{source: {namespaces: [other]}}, {source: {ipBlocks: [10.0.0.0/8]}}]}]}"), Get, "allow default/a#0"),
        ["when ANDed with to"] = new(Allow("a", "{rules: [{to: [{operation: {paths: [/a]}}], when: [{key: 'request.headers[x-user]', values: [alice]}]}]}"), Get with { Path = "/a" }, "deny"),

        // Principals, namespaces, service accounts: mTLS only.
        ["principals exact"] = new(AllowFrom("{principals: [cluster.local/ns/default/sa/reviews]}"), Mtls, "allow default/p#0"),
        ["principals other"] = new(AllowFrom("{principals: [cluster.local/ns/default/sa/ratings]}"), Mtls, "deny"),
        ["principals plaintext"] = new(AllowFrom("{principals: [cluster.local/ns/default/sa/reviews]}"), Get, "deny"),
        ["principals * plaintext"] = new(AllowFrom("{principals: ['*']}"), Get, "deny"),
        ["principals * mTLS"] = new(AllowFrom("{principals: ['*']}"), Mtls, "allow default/p#0"),
        ["principals prefix"] = new(AllowFrom("{principals: [cluster.local/ns/default/*]}"), Mtls, "allow default/p#0"),
        ["principals suffix"] = new(AllowFrom("{principals: ['*/sa/reviews']}"), Mtls, "allow default/p#0"),
        ["notPrincipals ALLOW never allows plaintext"] = new(AllowFrom("{notPrincipals: [cluster.local/ns/evil/sa/x]}"), Get, "deny"),
        ["notPrincipals ALLOW other peer"] = new(AllowFrom("{notPrincipals: [cluster.local/ns/evil/sa/x]}"), Mtls, "allow default/p#0"),
        ["notPrincipals ALLOW listed peer"] = new(AllowFrom("{notPrincipals: [cluster.local/ns/default/sa/reviews]}"), Mtls, "deny"),
        ["DENY notPrincipals * denies plaintext"] = new(Deny("d", "[{from: [{source: {notPrincipals: ['*']}}]}]"), Get, "deny default/d#0"),
        ["DENY notPrincipals * lets mTLS"] = new(Deny("d", "[{from: [{source: {notPrincipals: ['*']}}]}]"), Mtls, "allow"),
        ["DENY principals * does not catch plaintext"] = new(Deny("d", "[{from: [{source: {principals: ['*']}}]}]"), Get, "allow"),
        ["namespaces mTLS"] = new(AllowFrom("{namespaces: [default]}"), Mtls, "allow default/p#0"),
        ["namespaces plaintext"] = new(AllowFrom("{namespaces: [default]}"), Get, "deny"),
        ["namespaces prefix"] = new(AllowFrom("{namespaces: [def*]}"), Mtls, "allow default/p#0"),
        ["notNamespaces ALLOW plaintext"] = new(AllowFrom("{notNamespaces: [evil]}"), Get, "deny"),
        ["notNamespaces ALLOW other namespace"] = new(AllowFrom("{notNamespaces: [evil]}"), Mtls, "allow default/p#0"),
        ["DENY notNamespaces plaintext"] = new(Deny("d", "[{from: [{source: {notNamespaces: [default]}}]}]"), Get, "deny default/d#0"),
        ["DENY notNamespaces own namespace"] = new(Deny("d", "[{from: [{source: {notNamespaces: [default]}}]}]"), Mtls, "allow"),
        ["serviceAccounts"] = new(AllowFrom("{serviceAccounts: [default/reviews]}"), Mtls, "allow default/p#0"),
        ["notServiceAccounts plaintext"] = new(AllowFrom("{notServiceAccounts: [default/x]}"), Get, "deny"),

        // Request principals (JWT).
        ["requestPrincipals exact"] = new(AllowFrom("{requestPrincipals: [https://issuer.example/alice]}"), Get with { Jwt = Token }, "allow default/p#0"),
        ["requestPrincipals without token"] = new(AllowFrom("{requestPrincipals: ['*']}"), Get, "deny"),
        ["requestPrincipals * with token"] = new(AllowFrom("{requestPrincipals: ['*']}"), Get with { Jwt = Token }, "allow default/p#0"),
        ["notRequestPrincipals without token"] = new(AllowFrom("{notRequestPrincipals: [https://issuer.example/bob]}"), Get, "deny"),
        ["DENY notRequestPrincipals * without token"] = new(Deny("d", "[{from: [{source: {notRequestPrincipals: ['*']}}]}]"), Get, "deny default/d#0"),

        // IP blocks.
        ["ipBlocks CIDR in"] = new(AllowFrom("{ipBlocks: [10.0.0.0/24]}"), Get, "allow default/p#0"),
        ["ipBlocks CIDR out"] = new(AllowFrom("{ipBlocks: [10.0.0.0/24]}"), Get with { SourceIp = "10.0.1.5" }, "deny"),
        ["ipBlocks single address"] = new(AllowFrom("{ipBlocks: [10.0.0.5]}"), Get, "allow default/p#0"),
        ["ipBlocks IPv6"] = new(AllowFrom("{ipBlocks: ['fd00::/8']}"), Get with { SourceIp = "fd00::1" }, "allow default/p#0"),
        ["ipBlocks IPv4-mapped IPv6 peer"] = new(AllowFrom("{ipBlocks: [10.0.0.0/8]}"), Get with { SourceIp = "::ffff:10.0.0.5" }, "allow default/p#0"),
        ["ipBlocks malformed: invalid policy denies"] = new(AllowFrom("{ipBlocks: [10.0.0.0/40]}"), Get, "deny default/p#0"),
        ["DENY ipBlocks malformed denies"] = new(Deny("d", "[{from: [{source: {ipBlocks: [not-an-ip]}}]}]"), Get, "deny default/d#0"),
        ["notIpBlocks"] = new(AllowFrom("{notIpBlocks: [10.0.0.0/24]}"), Get, "deny"),
        ["remoteIpBlocks ignores x-forwarded-for"] = new(AllowFrom("{remoteIpBlocks: [1.2.3.4]}"), Get with { SourceIp = "192.168.1.1", Headers = [("x-forwarded-for", "1.2.3.4")] }, "deny"),
        ["DENY notRemoteIpBlocks"] = new(Deny("d", "[{from: [{source: {notRemoteIpBlocks: [10.0.0.0/8]}}]}]"), Get with { SourceIp = "192.168.1.1" }, "deny default/d#0"),

        // Hosts: case-insensitive, port-aware.
        ["hosts case-insensitive"] = new(AllowTo("{hosts: [ProductPage]}"), Get, "allow default/p#0"),
        ["hosts ignores the request port"] = new(AllowTo("{hosts: [productpage]}"), Get with { HostPort = 9080 }, "allow default/p#0"),
        ["hosts with port, same port"] = new(AllowTo("{hosts: ['productpage:9080']}"), Get with { HostPort = 9080 }, "allow default/p#0"),
        ["hosts with port, other port"] = new(AllowTo("{hosts: ['productpage:9080']}"), Get with { HostPort = 8080 }, "deny"),
        ["hosts suffix"] = new(AllowTo("{hosts: ['*.example.com']}"), Get with { Host = "api.example.com" }, "allow default/p#0"),
        ["hosts prefix"] = new(AllowTo("{hosts: [product*]}"), Get, "allow default/p#0"),
        ["DENY hosts catches a port variant"] = new(Deny("d", "[{to: [{operation: {hosts: [admin.example.com]}}]}]"), Get with { Host = "admin.example.com", HostPort = 443 }, "deny default/d#0"),
        ["DENY hosts catches case and trailing dot"] = new(Deny("d", "[{to: [{operation: {hosts: [admin.example.com]}}]}]"), Get with { Host = "admin.example.com" }, "deny default/d#0"),
        ["hosts IPv6 literal with port"] = new(AllowTo("{hosts: ['[::1]:9080']}"), Get with { Host = "[::1]", HostPort = 9080 }, "allow default/p#0"),
        ["notHosts"] = new(AllowTo("{notHosts: [productpage]}"), Get, "deny"),

        // Ports, methods, paths.
        ["ports"] = new(AllowTo("{ports: ['9080']}"), Get, "allow default/p#0"),
        ["ports other"] = new(AllowTo("{ports: ['8080']}"), Get, "deny"),
        ["notPorts"] = new(AllowTo("{notPorts: ['9080']}"), Get, "deny"),
        ["methods case-sensitive for ALLOW"] = new(AllowTo("{methods: [GET]}"), Get with { Method = "get" }, "deny"),
        ["DENY methods catches lowercase"] = new(Deny("d", "[{to: [{operation: {methods: [DELETE]}}]}]"), Get with { Method = "delete" }, "deny default/d#0"),
        ["notMethods"] = new(AllowTo("{notMethods: [DELETE]}"), Get with { Method = "DELETE" }, "deny"),
        ["ALLOW notMethods catches lowercase"] = new(AllowTo("{notMethods: [DELETE]}"), Get with { Method = "delete" }, "deny"),
        ["paths exact"] = new(AllowTo("{paths: [/api]}"), Get with { Path = "/api/" }, "deny"),
        ["paths prefix"] = new(AllowTo("{paths: [/api/*]}"), Get with { Path = "/api/v1/x" }, "allow default/p#0"),
        ["paths prefix needs the slash"] = new(AllowTo("{paths: [/api/*]}"), Get with { Path = "/apix" }, "deny"),
        ["paths suffix"] = new(AllowTo("{paths: ['*.png']}"), Get with { Path = "/img/a.png" }, "allow default/p#0"),
        ["paths *"] = new(AllowTo("{paths: ['*']}"), Get with { Path = "/anything" }, "allow default/p#0"),
        ["paths case-sensitive for ALLOW"] = new(AllowTo("{paths: [/admin]}"), Get with { Path = "/Admin" }, "deny"),
        ["DENY paths catches case variants"] = new(Deny("d", "[{to: [{operation: {paths: [/admin/*]}}]}]"), Get with { Path = "/ADMIN/users" }, "deny default/d#0"),
        ["DENY paths catches ;parameters"] = new(Deny("d", "[{to: [{operation: {paths: [/admin]}}]}]"), Get with { Path = "/admin;jsessionid=1" }, "deny default/d#0"),
        ["DENY paths catches ;parameters in any segment"] = new(Deny("d", "[{to: [{operation: {paths: [/admin/*]}}]}]"), Get with { Path = "/admin;x/users;y" }, "deny default/d#0"),
        ["DENY notPaths catches ;parameters"] = new(Allow("a", "{rules: [{}]}") + Deny("d", "[{to: [{operation: {notPaths: [/public/*]}}]}]"), Get with { Path = "/public;x/a" }, "deny default/d#0"),
        ["ALLOW paths must match with and without ;parameters"] = new(AllowTo("{paths: [/public/*]}"), Get with { Path = "/public/a;x" }, "allow default/p#0"),
        ["ALLOW paths refused when ;parameters change the reading"] = new(AllowTo("{paths: ['/public;*']}"), Get with { Path = "/public;x" }, "deny"),
        ["notPaths"] = new(AllowTo("{notPaths: [/admin/*]}"), Get with { Path = "/admin/x" }, "deny"),
        ["template {*} one segment"] = new(AllowTo("{paths: ['/users/{*}/profile']}"), Get with { Path = "/users/42/profile" }, "allow default/p#0"),
        ["template {*} not two segments"] = new(AllowTo("{paths: ['/users/{*}/profile']}"), Get with { Path = "/users/4/2/profile" }, "deny"),
        ["template {*} not empty"] = new(AllowTo("{paths: ['/users/{*}/profile']}"), Get with { Path = "/users//profile" }, "deny"),
        ["template {**} many segments"] = new(AllowTo("{paths: ['/files/{**}']}"), Get with { Path = "/files/a/b/c.txt" }, "allow default/p#0"),
        ["template {**} needs one"] = new(AllowTo("{paths: ['/files/{**}']}"), Get with { Path = "/files" }, "deny"),
        ["template {**} then literal"] = new(AllowTo("{paths: ['/a/{**}/edit']}"), Get with { Path = "/a/b/c/edit" }, "allow default/p#0"),

        // Conditions.
        ["header value"] = new(AllowWhen("request.headers[x-user]", "values: [alice]"), Get with { Headers = [("x-user", "alice")] }, "allow default/p#0"),
        ["header absent"] = new(AllowWhen("request.headers[x-user]", "values: ['*']"), Get, "deny"),
        ["header name case-insensitive"] = new(AllowWhen("request.headers[X-User]", "values: [alice]"), Get with { Headers = [("x-user", "alice")] }, "allow default/p#0"),
        ["header prefix"] = new(AllowWhen("request.headers[x-user]", "values: [ali*]"), Get with { Headers = [("x-user", "alice")] }, "allow default/p#0"),
        ["header duplicate smuggles a value"] = new(AllowWhen("request.headers[x-user]", "values: [alice]"), Get with { Headers = [("x-user", "alice"), ("x-user", "mallory")] }, "deny"),
        ["DENY header duplicate"] = new(Deny("d", "[{when: [{key: 'request.headers[x-user]', values: [mallory]}]}]"), Get with { Headers = [("x-user", "alice"), ("x-user", "mallory")] }, "deny default/d#0"),
        ["header notValues absent header"] = new(AllowWhen("request.headers[x-user]", "notValues: [mallory]"), Get, "allow default/p#0"),
        ["header notValues match"] = new(AllowWhen("request.headers[x-user]", "notValues: [mallory]"), Get with { Headers = [("x-user", "mallory")] }, "deny"),
        ["source.ip"] = new(AllowWhen("source.ip", "values: [10.0.0.0/16]"), Get, "allow default/p#0"),
        ["remote.ip notValues"] = new(AllowWhen("remote.ip", "notValues: [10.0.0.5]"), Get, "deny"),
        ["destination.ip"] = new(AllowWhen("destination.ip", "values: [10.0.0.1]"), Get, "allow default/p#0"),
        ["destination.port"] = new(AllowWhen("destination.port", "values: ['9080']"), Get, "allow default/p#0"),
        ["destination.port other"] = new(AllowWhen("destination.port", "values: ['80']"), Get, "deny"),
        ["source.namespace"] = new(AllowWhen("source.namespace", "values: [default]"), Mtls, "allow default/p#0"),
        ["source.namespace plaintext"] = new(AllowWhen("source.namespace", "notValues: [evil]"), Get, "deny"),
        ["source.principal"] = new(AllowWhen("source.principal", "values: [cluster.local/ns/default/sa/reviews]"), Mtls, "allow default/p#0"),
        ["source.principal notValues plaintext"] = new(AllowWhen("source.principal", "notValues: [cluster.local/ns/evil/sa/x]"), Get, "deny"),
        ["DENY source.principal notValues plaintext"] = new(Deny("d", "[{when: [{key: source.principal, notValues: ['*']}]}]"), Get, "deny default/d#0"),
        ["request.auth.principal"] = new(AllowWhen("request.auth.principal", "values: [https://issuer.example/alice]"), Get with { Jwt = Token }, "allow default/p#0"),
        ["request.auth.audiences any"] = new(AllowWhen("request.auth.audiences", "values: [web]"), Get with { Jwt = Token }, "allow default/p#0"),
        ["request.auth.audiences no token"] = new(AllowWhen("request.auth.audiences", "notValues: [other]"), Get, "deny"),
        ["request.auth.presenter"] = new(AllowWhen("request.auth.presenter", "values: [spa]"), Get with { Jwt = Token }, "allow default/p#0"),
        ["claims list contains"] = new(AllowWhen("request.auth.claims[groups]", "values: [admins]"), Get with { Jwt = Token }, "allow default/p#0"),
        ["claims nested"] = new(AllowWhen("request.auth.claims[org][team]", "values: [core]"), Get with { Jwt = Token }, "allow default/p#0"),
        ["claims nested missing"] = new(AllowWhen("request.auth.claims[org][dept]", "values: ['*']"), Get with { Jwt = Token }, "deny"),
        ["claims number"] = new(AllowWhen("request.auth.claims[level]", "values: ['3']"), Get with { Jwt = Token }, "allow default/p#0"),
        ["claims notValues"] = new(AllowWhen("request.auth.claims[groups]", "notValues: [admins]"), Get with { Jwt = Token }, "deny"),
        ["connection.sni"] = new(AllowWhen("connection.sni", "values: ['*.svc.cluster.local']"), Mtls with { Sni = "productpage.default.svc.cluster.local" }, "allow default/p#0"),
        ["DENY connection.sni ignores case"] = new(Deny("d", "[{when: [{key: connection.sni, values: [admin.example.com]}]}]"), Mtls with { Sni = "ADMIN.Example.com" }, "deny default/d#0"),
        ["DENY connection.sni notValues without SNI"] = new(Deny("d", "[{when: [{key: connection.sni, notValues: ['*.svc.cluster.local']}]}]"), Mtls, "deny default/d#0"),
        ["connection.sni plaintext"] = new(AllowWhen("connection.sni", "notValues: [x]"), Get, "deny"),
        ["unsupported key never allows"] = new(AllowWhen("experimental.envoy.filters.x[y]", "values: [z]"), Get, "deny"),
        ["unsupported key in DENY denies"] = new(Deny("d", "[{when: [{key: 'experimental.envoy.filters.x[y]', values: [z]}]}]"), Get, "deny default/d#0"),

        // Selection.
        ["other namespace ignored"] = new(Allow("deny-all", "{}", ns: "reviews"), Get, "allow"),
        ["root mesh-system applies"] = new(Allow("deny-all", "{}", ns: "mesh-system"), Get, "deny"),
        ["root istio-system applies"] = new(Deny("d", "[{}]", ns: "istio-system"), Get, "deny istio-system/d#0"),
        ["selector matches"] = new(Allow("deny-all", "{selector: {matchLabels: {app: productpage}}}"), Get, "deny"),
        ["selector all labels needed"] = new(Allow("deny-all", "{selector: {matchLabels: {app: productpage, version: v2}}}"), Get, "allow"),
        ["selector other workload"] = new(Allow("deny-all", "{selector: {matchLabels: {app: reviews}}}"), Get, "allow"),
        ["root selector matches"] = new(Deny("d", "[{}]", ns: "mesh-system", extra: "selector: {matchLabels: {version: v1}}, "), Get, "deny mesh-system/d#0"),
        ["targetRef Service"] = new(Allow("deny-all", "{targetRefs: [{kind: Service, group: '', name: productpage}]}"), Get, "deny"),
        ["targetRef other Service"] = new(Allow("deny-all", "{targetRefs: [{kind: Service, group: '', name: reviews}]}"), Get, "allow"),
        ["targetRef Gateway"] = new(Allow("deny-all", "{targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: productpage}}"), Get, "allow"),
        ["invalid policy denies"] = new(Allow("broken", "{rules: [{from: [{source: {}}]}]}"), Get, "deny default/broken#0"),
    };

    public static TheoryData<string> Names => [.. Rows.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Evaluate_Row_GivesTheExpectedDecision(string name)
    {
        var row = Rows[name];
        var problems = new List<string>();
        var evaluator = Compile(row.Yaml, problems);

        var decision = evaluator.Evaluate(row.Request.ToRequest());

        var actual = (decision.Allowed ? "allow" : "deny") + (decision.Policy is null ? "" : $" {decision.Policy}#{decision.RuleIndex}");
        Assert.True(row.Expected == actual, $"row '{name}': expected '{row.Expected}', got '{actual}' ({decision.Reason}); problems: {string.Join(" | ", problems)}");
    }

    [Fact]
    public void Evaluate_AuditPolicyMatches_NamesItWithoutChangingTheDecision()
    {
        var evaluator = Compile(Policy("audit", "{action: AUDIT, rules: [{to: [{operation: {paths: [/x]}}]}]}") + Allow("a", "{rules: [{}]}"), []);

        var matched = evaluator.Evaluate((Get with { Path = "/x" }).ToRequest());
        var notMatched = evaluator.Evaluate((Get with { Path = "/y" }).ToRequest());

        Assert.Equal(("default/audit", true, "default/a"), (matched.Audit, matched.Allowed, matched.Policy));
        Assert.Equal((null, true), (notMatched.Audit, notMatched.Allowed));
    }

    [Fact]
    public void Compile_UnsupportedConditionOrBadCidr_ReportsTheProblemNamingPolicyAndField()
    {
        var problems = new List<string>();

        Compile(AllowWhen("experimental.envoy.filters.x[y]", "values: [z]"), problems);

        Assert.Contains(problems, p => p.Contains("default/p", StringComparison.Ordinal) && p.Contains("rules[0].when[0]", StringComparison.Ordinal) && p.Contains("never matches", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_NoPolicyForThisWorkload_GivesTheEmptyEvaluator()
    {
        var evaluator = Compile(Allow("deny-all", "{}", ns: "reviews"), []);

        Assert.Same(AuthorizationEvaluator.Empty, evaluator);
    }

    internal static AuthorizationEvaluator Compile(string yaml, List<string> problems, IReadOnlyList<string>? trustDomains = null)
    {
        var resources = yaml.Length == 0 ? [] : ManifestReader.Read(yaml, "rows.yaml", "default").Resources;
        var snapshot = new ProxySnapshot { Version = "v1", Resources = resources };
        var self = new AuthorizationWorkload("default", "productpage", new Dictionary<string, string> { ["app"] = "productpage", ["version"] = "v1" });
        return AuthorizationPolicyCompiler.Compile(snapshot, self, trustDomains ?? [], problems);
    }

    internal static string Policy(string name, string spec, string ns = "default") =>
        $"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec: {spec}\n---\n";

    private static string Allow(string name, string spec, string ns = "default") => Policy(name, spec, ns);

    private static string Deny(string name, string rules, string ns = "default", string extra = "") => Policy(name, $"{{{extra}action: DENY, rules: {rules}}}", ns);

    private static string AllowFrom(string source) => Allow("p", $"{{rules: [{{from: [{{source: {source}}}]}}]}}");

    private static string AllowTo(string operation) => Allow("p", $"{{rules: [{{to: [{{operation: {operation}}}]}}]}}");

    private static string AllowWhen(string key, string values) => Allow("p", $"{{rules: [{{when: [{{key: '{key}', {values}}}]}}]}}");

    private sealed record Row(string Yaml, AuthorizationTestRequest Request, string Expected);
}
