using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Security.Jwt;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>The JWT step against inline keys: what is accepted, what is refused, and what reaches the app.</summary>
public sealed class JwtAuthenticatorTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly JwtTestKeys _keys = new();

    [Theory]
    [InlineData("RS256", "rsa")]
    [InlineData("RS384", "rsa")]
    [InlineData("PS256", "rsa")]
    [InlineData("ES256", "ec256")]
    [InlineData("ES384", "ec384")]
    public async Task Authenticate_ValidToken_SetsPrincipalAudiencesPresenterAndPayload(string alg, string kid)
    {
        using var sidecar = Sidecar();
        var context = JwtTestSidecar.Request("Bearer " + _keys.Sign(alg, JwtTestKeys.Claims(Now), kid));

        Assert.Null(await sidecar.RunAsync(context));

        var feature = JwtTestSidecar.Feature(context);
        Assert.NotNull(feature);
        Assert.Equal("https://issuer.test/alice", feature.Principal);
        Assert.Equal(["bookinfo"], feature.Audiences);
        Assert.Equal("web", feature.Presenter);
        Assert.Equal("reviewers", feature.Payload.GetProperty("group").GetString());
    }

    [Fact]
    public async Task Authenticate_TokenWithoutKid_TriesEveryKeyOfTheRightType()
    {
        using var sidecar = Sidecar();
        var context = JwtTestSidecar.Request("Bearer " + _keys.Sign("ES256", JwtTestKeys.Claims(Now), kid: null));

        Assert.Null(await sidecar.RunAsync(context));
        Assert.NotNull(JwtTestSidecar.Feature(context));
    }

    [Fact]
    public async Task Authenticate_NoToken_PassesWithoutFeature()
    {
        using var sidecar = Sidecar();
        var context = JwtTestSidecar.Request("Basic YWxpY2U6c2VjcmV0");

        Assert.Null(await sidecar.RunAsync(context));
        Assert.Null(JwtTestSidecar.Feature(context));
        Assert.Equal("Basic YWxpY2U6c2VjcmV0", context.Request.Headers.Authorization.ToString());
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "expired", "Jwt is expired" },
        { "not-yet-valid", "Jwt not yet valid" },
        { "wrong-issuer", "Jwt issuer is not configured" },
        { "wrong-audience", "Audiences in Jwt are not allowed" },
        { "bad-signature", "Jwt verification fails" },
        { "alg-none", "Jwt header [alg] none is not supported" },
        { "hs256-with-public-key", "Jwt header [alg] HS256 is not supported" },
        { "unknown-kid", "Jwks doesn't have key to match kid" },
        { "es256-signed-claimed-by-rsa-kid", "Jwt verification fails" },
        { "garbage", "Jwt is not in the form of Header.Payload.Signature" },
        { "duplicate-iss", "Jwt header or payload is not a JSON object" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Authenticate_InvalidToken_IsRefused(string variant, string reason)
    {
        using var sidecar = Sidecar(extra: """, "audiences": ["bookinfo", "ratings"]""");
        var claims = JwtTestKeys.Claims(Now);
        var token = variant switch
        {
            "expired" => _keys.Sign("RS256", With(claims, "exp", Now.AddSeconds(-61).ToUnixTimeSeconds()), "rsa"),
            "not-yet-valid" => _keys.Sign("RS256", With(claims, "nbf", Now.AddSeconds(61).ToUnixTimeSeconds()), "rsa"),
            "wrong-issuer" => _keys.Sign("RS256", JwtTestKeys.Claims(Now, "https://other.test"), "rsa"),
            "wrong-audience" => _keys.Sign("RS256", With(claims, "aud", new[] { "shop" }), "rsa"),
            "bad-signature" => Tamper(_keys.Sign("RS256", claims, "rsa")),
            "alg-none" => _keys.Sign("none", claims, "rsa"),
            "hs256-with-public-key" => _keys.Sign("HS256", claims, "rsa"),
            "unknown-kid" => _keys.Sign("RS256", claims, "rotated-away"),
            "es256-signed-claimed-by-rsa-kid" => _keys.Sign("ES256", claims, "rsa"),
            "garbage" => "not.a-token",
            "duplicate-iss" => DuplicateIssuer(_keys, claims),
            _ => throw new ArgumentException(variant, nameof(variant)),
        };
        var context = JwtTestSidecar.Request("Bearer " + token);

        var refused = await sidecar.RunAsync(context);

        Assert.NotNull(refused);
        Assert.StartsWith(reason, refused, StringComparison.Ordinal);
        Assert.Null(JwtTestSidecar.Feature(context));
    }

    [Fact]
    public async Task Authenticate_WithinClockSkew_IsAccepted()
    {
        using var sidecar = Sidecar();
        var claims = With(With(JwtTestKeys.Claims(Now), "exp", Now.AddSeconds(-59).ToUnixTimeSeconds()), "nbf", Now.AddSeconds(59).ToUnixTimeSeconds());

        Assert.Null(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", claims, "rsa"))));
    }

    [Fact]
    public async Task Authenticate_AudiencesUnset_AnyAudienceIsAccepted()
    {
        using var sidecar = Sidecar();
        var context = JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", With(JwtTestKeys.Claims(Now), "aud", new[] { "shop", "cart" }), "rsa"));

        Assert.Null(await sidecar.RunAsync(context));
        Assert.Equal(["shop", "cart"], JwtTestSidecar.Feature(context)!.Audiences);
    }

    [Fact]
    public async Task Authenticate_HmacKeyInJwks_IsIgnoredSoHs256NeverVerifies()
    {
        var secret = Base64Url.EncodeToString(_keys.RsaPublicKeyBytes);
        var jwks = JsonSerializer.Serialize(new { keys = new object[] { new { kty = "oct", kid = "rsa", k = secret }, _keys.RsaJwk("rsa") } });
        using var sidecar = new JwtTestSidecar(new JwtTestClock(Now), JwtTestSidecar.Policy($$"""{ "jwtRules": [ { "issuer": "{{JwtTestKeys.Issuer}}", "jwks": {{JsonSerializer.Serialize(jwks)}} } ] }"""));

        Assert.NotNull(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("HS256", JwtTestKeys.Claims(Now), "rsa"))));
        Assert.Null(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"))));
    }

    [Fact]
    public async Task Authenticate_TwoDifferentTokens_IsRefused()
    {
        using var sidecar = Sidecar();
        var first = _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa");
        var second = _keys.Sign("ES256", JwtTestKeys.Claims(Now), "ec256");

        Assert.NotNull(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + first, "?access_token=" + second)));
        Assert.Null(await sidecar.RunAsync(JwtTestSidecar.Request("Bearer " + first, "?access_token=" + first)));
    }

    [Fact]
    public async Task Authenticate_CustomHeaderWithPrefix_IsReadAndStripped()
    {
        using var sidecar = Sidecar(extra: """, "fromHeaders": [ { "name": "x-jwt-assertion", "prefix": "Token " } ]""");
        var token = _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa");
        var context = JwtTestSidecar.Request(headers: ("X-Jwt-Assertion", "Token " + token));
        var defaultLocation = JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"));

        Assert.Null(await sidecar.RunAsync(context));
        Assert.NotNull(JwtTestSidecar.Feature(context));
        Assert.False(context.Request.Headers.ContainsKey("x-jwt-assertion"));
        // Naming a location replaces the defaults: a bearer token is not looked at, so it passes without a principal.
        Assert.Null(await sidecar.RunAsync(defaultLocation));
        Assert.Null(JwtTestSidecar.Feature(defaultLocation));
    }

    [Fact]
    public async Task Authenticate_QueryParameter_IsReadAndRemovedKeepingTheRest()
    {
        using var sidecar = Sidecar(extra: """, "fromParams": [ "token" ]""");
        var token = _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa");
        var context = JwtTestSidecar.Request(query: "?a=1&token=" + token + "&b=%2F");

        Assert.Null(await sidecar.RunAsync(context));
        Assert.NotNull(JwtTestSidecar.Feature(context));
        Assert.Equal("?a=1&b=%2F", context.Request.QueryString.Value);
    }

    [Fact]
    public async Task Authenticate_Cookie_IsReadAndRemovedKeepingOtherCookies()
    {
        using var sidecar = Sidecar(extra: """, "fromCookies": [ "session" ]""");
        var token = _keys.Sign("ES256", JwtTestKeys.Claims(Now), "ec256");
        var context = JwtTestSidecar.Request(null, "", ("Cookie", "theme=dark; session=" + token + "; lang=en"));

        Assert.Null(await sidecar.RunAsync(context));
        Assert.NotNull(JwtTestSidecar.Feature(context));
        Assert.Equal("theme=dark; lang=en", context.Request.Headers.Cookie.ToString());
    }

    [Fact]
    public async Task Authenticate_DefaultLocations_BearerHeaderAndAccessTokenParameter()
    {
        using var sidecar = Sidecar();
        var viaQuery = JwtTestSidecar.Request(query: "?access_token=" + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"));
        var lowercaseScheme = JwtTestSidecar.Request("bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"));

        Assert.Null(await sidecar.RunAsync(viaQuery));
        Assert.Null(await sidecar.RunAsync(lowercaseScheme));
        Assert.NotNull(JwtTestSidecar.Feature(viaQuery));
        Assert.NotNull(JwtTestSidecar.Feature(lowercaseScheme));
        Assert.False(viaQuery.Request.QueryString.HasValue);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Authenticate_ForwardOriginalToken_DecidesWhetherTheHeaderStays(bool forward)
    {
        using var sidecar = Sidecar(extra: forward ? """, "forwardOriginalToken": true""" : "");
        var token = _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa");
        var context = JwtTestSidecar.Request("Bearer " + token);

        Assert.Null(await sidecar.RunAsync(context));
        Assert.Equal(forward, context.Request.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task Authenticate_OutputClaimToHeaders_OverwritesIncomingHeaders()
    {
        using var sidecar = Sidecar(extra: """, "outputClaimToHeaders": [ { "header": "x-user", "claim": "sub" }, { "header": "x-aud", "claim": "aud" }, { "header": "x-tier", "claim": "plan.tier" } ]""");
        var claims = With(With(JwtTestKeys.Claims(Now), "aud", new[] { "bookinfo", "shop" }), "plan", new { tier = "gold" });
        var context = JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", claims, "rsa"), "", ("x-user", "mallory"));

        Assert.Null(await sidecar.RunAsync(context));
        Assert.Equal("alice", context.Request.Headers["x-user"].ToString());
        Assert.Equal("bookinfo,shop", context.Request.Headers["x-aud"].ToString());
        Assert.Equal("gold", context.Request.Headers["x-tier"].ToString());
    }

    [Fact]
    public async Task Authenticate_NoToken_ForgedOutputHeadersAreRemoved()
    {
        using var sidecar = Sidecar(extra: """, "outputPayloadToHeader": "x-jwt-payload", "outputClaimToHeaders": [ { "header": "x-user", "claim": "sub" } ]""");
        var context = JwtTestSidecar.Request(null, "", ("x-user", "mallory"), ("x-jwt-payload", "eyJzdWIiOiJyb290In0"));

        Assert.Null(await sidecar.RunAsync(context));
        Assert.False(context.Request.Headers.ContainsKey("x-user"));
        Assert.False(context.Request.Headers.ContainsKey("x-jwt-payload"));
    }

    [Fact]
    public async Task Authenticate_OutputPayloadToHeader_CarriesTheBase64UrlPayload()
    {
        using var sidecar = Sidecar(extra: """, "outputPayloadToHeader": "x-jwt-payload" """);
        var context = JwtTestSidecar.Request("Bearer " + _keys.Sign("RS256", JwtTestKeys.Claims(Now), "rsa"));

        Assert.Null(await sidecar.RunAsync(context));
        var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(context.Request.Headers["x-jwt-payload"].ToString())).RootElement;
        Assert.Equal("alice", payload.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task Authenticate_PolicySelectingOtherWorkload_DoesNotApply()
    {
        using var sidecar = new JwtTestSidecar(new JwtTestClock(Now), JwtTestSidecar.InlinePolicy(_keys, selector: """ "selector": { "matchLabels": { "app": "ratings" } }, """));
        var context = JwtTestSidecar.Request("Bearer garbage");

        Assert.Null(await sidecar.RunAsync(context));
        Assert.Null(JwtTestSidecar.Feature(context));
    }

    [Fact]
    public async Task Authenticate_RootNamespacePolicy_AppliesAndOtherNamespacesDoNot()
    {
        var rule = $$"""{ "jwtRules": [ { "issuer": "{{JwtTestKeys.Issuer}}", "jwks": {{JsonSerializer.Serialize(_keys.Jwks)}} } ] }""";
        using var root = new JwtTestSidecar(new JwtTestClock(Now), JwtTestSidecar.Policy(rule, ns: "mesh-system"));
        using var foreign = new JwtTestSidecar(new JwtTestClock(Now), JwtTestSidecar.Policy(rule, ns: "shop"));

        Assert.NotNull(await root.RunAsync(JwtTestSidecar.Request("Bearer garbage")));
        Assert.Null(await foreign.RunAsync(JwtTestSidecar.Request("Bearer garbage")));
    }

    [Fact]
    public async Task WriteRejection_Writes401WithBearerChallengeReasonAndEnvoyText()
    {
        var context = JwtTestSidecar.Request();

        await JwtAuthenticator.WriteRejectionAsync(context);

        Assert.Equal(StatusCodes.Status401Unauthorized, context.Response.StatusCode);
        Assert.StartsWith("Bearer", context.Response.Headers.WWWAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal("JWT", context.Response.Headers["x-mesh-reason"].ToString());
        context.Response.Body.Position = 0;
        Assert.Equal("Jwt verification fails", await new StreamReader(context.Response.Body).ReadToEndAsync());
    }

    public void Dispose() => _keys.Dispose();

    private JwtTestSidecar Sidecar(string extra = "") => new(new JwtTestClock(Now), JwtTestSidecar.InlinePolicy(_keys, extra));

    private static Dictionary<string, object?> With(Dictionary<string, object?> claims, string name, object? value) => new(claims) { [name] = value };

    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var claims = JsonSerializer.Deserialize<Dictionary<string, object?>>(Base64Url.DecodeFromChars(parts[1]))!;
        claims["sub"] = "admin";
        return parts[0] + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims)) + "." + parts[2];
    }

    private static string DuplicateIssuer(JwtTestKeys keys, Dictionary<string, object?> claims)
    {
        // A validly signed payload with two "iss" members: readers could disagree on which one counts.
        var parts = keys.Sign("RS256", claims, "rsa").Split('.');
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        var forged = "{\"iss\":\"https://evil.test\"," + json[1..];
        return parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged)) + "." + parts[2];
    }
}
