using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Security.Authorization;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>The inbound AuthorizationPolicy step on a request context: the features it reads, the 403 it writes, the log it leaves.</summary>
public sealed class AuthorizationInboundStepTests
{
    private const string OnlyReviews = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: only-reviews
          namespace: default
        spec:
          rules:
          - from:
            - source:
                principals: ["cluster.local/ns/default/sa/reviews"]
            to:
            - operation:
                methods: ["GET"]
                paths: ["/api/*"]
        """;

    [Fact]
    public async Task AuthorizeAsync_PeerIdentityFeatureAllowed_Continues()
    {
        var (step, _) = Step(OnlyReviews);
        var context = Context("GET", "/api/books");
        context.Features.Set(new PeerIdentity("spiffe://cluster.local/ns/default/sa/reviews", "cluster.local", "default", "reviews"));

        Assert.True(await step.AuthorizeAsync(context));
        Assert.Equal(200, context.Response.StatusCode);
    }

    [Fact]
    public async Task AuthorizeAsync_Plaintext_Writes403RbacAndLogsTheDecision()
    {
        var (step, logs) = Step(OnlyReviews);
        var context = Context("GET", "/api/books");

        Assert.False(await step.AuthorizeAsync(context));

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal("RBAC", context.Response.Headers["x-mesh-reason"].ToString());
        context.Response.Body.Position = 0;
        Assert.Equal("RBAC: access denied", await new StreamReader(context.Response.Body).ReadToEndAsync());
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("RBAC denied GET /api/books", StringComparison.Ordinal) && e.Message.Contains("ALLOW policies apply and none matched", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuthorizeAsync_DenyPolicy_LogNamesPolicyAndRule()
    {
        var (step, logs) = Step(OnlyReviews.Replace("name: only-reviews", "name: no-api").Replace("spec:\n", "spec:\n  action: DENY\n", StringComparison.Ordinal));
        var context = Context("GET", "/api/books");
        context.Features.Set(new PeerIdentity("spiffe://cluster.local/ns/default/sa/reviews", "cluster.local", "default", "reviews"));

        Assert.False(await step.AuthorizeAsync(context));

        Assert.Contains(logs.Entries, e => e.Message.Contains("policy default/no-api rule 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuthorizeAsync_RequestAuthenticationFeature_IsReadForRequestPrincipals()
    {
        var (step, _) = Step(OnlyReviews.Replace("principals: [\"cluster.local/ns/default/sa/reviews\"]", "requestPrincipals: [\"https://issuer.example/alice\"]", StringComparison.Ordinal));
        var withToken = Context("GET", "/api/books");
        withToken.Features.Set(new RequestAuthentication("https://issuer.example/alice", [], null, default));
        var withoutToken = Context("GET", "/api/books");

        Assert.True(await step.AuthorizeAsync(withToken));
        Assert.False(await step.AuthorizeAsync(withoutToken));
    }

    [Fact]
    public async Task AuthorizeAsync_NoConfigurationYet_Refuses503()
    {
        var identity = new SidecarIdentity("productpage", "default", new Dictionary<string, string>(), "productpage");
        var config = new ProxyConfig(identity, TimeProvider.System, NullLogger<ProxyConfig>.Instance);
        var step = new InboundAuthorization(config, new SidecarOptions { Service = "productpage" }, NullLogger<InboundAuthorization>.Instance);
        var context = Context("GET", "/");

        Assert.False(await step.AuthorizeAsync(context));
        Assert.Equal(503, context.Response.StatusCode);
    }

    [Fact]
    public void From_Context_ReadsHostWithoutPortAndDotLowercasedAndThePathWithoutQuery()
    {
        var context = Context("GET", "/a/b");
        context.Request.Host = new HostString("Reviews.Default.:9080");
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?x=1");

        var request = InboundAuthorization.From(context, new SidecarOptions { AppPort = 9080 });

        Assert.Equal(("reviews.default", 9080, "/a/b", 9080), (request.Host, request.HostPort, request.Path, request.DestinationPort));
    }

    private static (InboundAuthorization Step, CapturedLogs Logs) Step(string yaml)
    {
        var logs = new CapturedLogs();
        var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var identity = new SidecarIdentity("productpage", "default", new Dictionary<string, string> { ["app"] = "productpage" }, "productpage");
        var config = new ProxyConfig(identity, TimeProvider.System, factory.CreateLogger<ProxyConfig>());
        var snapshot = new ProxySnapshot { Version = "v1", Resources = ManifestReader.Read(yaml, "test.yaml", "default").Resources };
        Assert.Null(config.TryApply(snapshot, "test"));
        return (new InboundAuthorization(config, new SidecarOptions { Service = "productpage", AppPort = 9080 }, factory.CreateLogger<InboundAuthorization>()), logs);
    }

    private static DefaultHttpContext Context(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.Host = new HostString("productpage");
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        context.Connection.LocalIpAddress = System.Net.IPAddress.Loopback;
        context.Response.Body = new MemoryStream();
        return context;
    }
}
