using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Security.Jwt;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// The JWT step of one sidecar (workload <c>reviews</c> in <c>default</c>, labels app=reviews) with RequestAuthentication
/// resources applied through its real <see cref="ProxyConfig"/>, and requests to run through it.
/// </summary>
internal sealed class JwtTestSidecar : IDisposable
{
    private readonly JwksCache _jwks;

    public JwtTestSidecar(JwtTestClock clock, params MeshResource[] policies)
    {
        Clock = clock;
        var identity = new SidecarIdentity("reviews", "default", new Dictionary<string, string> { ["app"] = "reviews" }, "reviews");
        var config = new ProxyConfig(identity, clock, NullLogger<ProxyConfig>.Instance);
        Assert.Null(config.TryApply(new ProxySnapshot { Version = "v1", Resources = policies }, "test"));
        _jwks = new JwksCache(clock, NullLoggerFactory.Instance);
        Authenticator = new JwtAuthenticator(config, _jwks, clock, NullLogger<JwtAuthenticator>.Instance);
    }

    public JwtTestClock Clock { get; }

    public JwtAuthenticator Authenticator { get; }

    /// <summary>A RequestAuthentication named <paramref name="name"/> with the given spec (JSON).</summary>
    public static MeshResource Policy(string specJson, string name = "jwt", string ns = "default") => new()
    {
        ApiVersion = "security.istio.io/v1",
        Kind = "RequestAuthentication",
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = JsonDocument.Parse(specJson).RootElement.Clone(),
    };

    /// <summary>One rule for <see cref="JwtTestKeys.Issuer"/> with inline keys and <paramref name="extra"/> JSON members.</summary>
    public static MeshResource InlinePolicy(JwtTestKeys keys, string extra = "", string selector = "") =>
        Policy($$"""{ {{selector}} "jwtRules": [ { "issuer": "{{JwtTestKeys.Issuer}}", "jwks": {{JsonSerializer.Serialize(keys.Jwks)}} {{extra}} } ] }""");

    public static DefaultHttpContext Request(string? authorization = null, string query = "", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/reviews/1";
        context.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString(query);
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>Runs the step; returns null when the request may continue, else the refusal reason.</summary>
    public async Task<string?> RunAsync(HttpContext context) => await Authenticator.AuthenticateAsync(context).WaitAsync(Testing.TestTimeouts.Default);

    public static RequestAuthentication? Feature(HttpContext context) => context.Features.Get<RequestAuthentication>();

    public void Dispose() => _jwks.Dispose();
}
