using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Runtime.Sidecar.Configuration;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// The inbound RequestAuthentication step. A request without a token passes with no <see cref="RequestAuthentication"/>
/// feature (Istio: no request principal). A request with one valid token gets the feature, and the rule's output
/// headers; the token is removed unless the rule forwards it. Anything else — a token that fails verification, an
/// issuer no rule lists, keys that were never fetched, or more than one distinct token — is refused with 401.
/// </summary>
internal sealed partial class JwtAuthenticator(ProxyConfig config, JwksCache jwks, TimeProvider time, ILogger<JwtAuthenticator> logger)
{
    /// <summary>The <c>x-mesh-reason</c> of a 401 written by this step.</summary>
    public const string Reason = "JWT";

    /// <summary>The response body of a 401 (Envoy's text).</summary>
    public const string RejectionText = "Jwt verification fails";

    /// <summary>Envoy's default tolerance for <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private Compiled? _compiled;

    /// <summary>
    /// Authenticates <paramref name="context"/>'s request. Returns null when it may continue (with or without a
    /// principal), or why its token was refused; the caller then answers with <see cref="WriteRejectionAsync"/>.
    /// </summary>
    public async Task<string?> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var policy = PolicyFor(config.Current);
        if (policy.Providers.Count == 0)
        {
            return null;
        }

        var headers = context.Request.Headers;
        foreach (var header in policy.OutputHeaders)
        {
            headers.Remove(header);
        }

        var found = TokenExtractor.Find(context.Request, policy.Locations);
        if (found.Count == 0)
        {
            return null;
        }

        var text = found[0].Token;
        if (found.Any(f => f.Token != text))
        {
            // Istio leaves the principal of such a request undefined: refuse rather than pick one.
            return Refuse(context, "the request carries more than one token");
        }

        if (!JwtToken.TryParse(text, out var token, out var error))
        {
            return Refuse(context, error!);
        }

        var issuer = token!.Issuer;
        var locations = found.Select(f => f.Location).ToList();
        var candidates = policy.Providers.Where(p => p.Issuer == issuer && p.Locations.Any(locations.Contains)).ToList();
        if (candidates.Count == 0)
        {
            return Refuse(context, issuer is null ? "Jwt has no [iss] string claim" : $"Jwt issuer is not configured for {string.Join(", ", locations)}");
        }

        if (JwtAlgorithm.Find(token.Algorithm) is not { } algorithm)
        {
            return Refuse(context, $"Jwt header [alg] {token.Algorithm} is not supported");
        }

        if (CheckClaims(token, out var audiences) is { } invalid)
        {
            return Refuse(context, invalid);
        }

        var reason = "Jwt verification fails";
        foreach (var provider in candidates)
        {
            if (provider.Audiences.Count > 0 && !audiences.Any(provider.Audiences.Contains))
            {
                reason = "Audiences in Jwt are not allowed";
                continue;
            }

            var keys = await provider.KeysAsync().ConfigureAwait(false);
            if (keys is null)
            {
                reason = $"Jwks remote fetch failed for {provider.RemoteKeys?.Uri}";
                continue;
            }

            var matching = keys.Where(k => token.KeyId is null || k.KeyId is null || k.KeyId == token.KeyId).ToList();
            if (matching.Count == 0)
            {
                reason = $"Jwks doesn't have key to match kid {token.KeyId}";
                continue;
            }

            if (matching.Any(k => algorithm.Verify(k, token.SigningInput, token.Signature)))
            {
                Accept(context, token, provider, audiences, found);
                return null;
            }

            reason = "Jwt verification fails";
        }

        return Refuse(context, reason);
    }

    /// <summary>Writes the 401: <c>www-authenticate: Bearer</c>, <c>x-mesh-reason: JWT</c>, and Envoy's body.</summary>
    public static async Task WriteRejectionAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.Clear();
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        response.Headers[Forwarding.ForwardErrorWriter.ReasonHeader] = Reason;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(RejectionText, context.RequestAborted).ConfigureAwait(false);
    }

    private string? CheckClaims(JwtToken token, out IReadOnlyList<string> audiences)
    {
        audiences = [];
        var payload = token.Payload;
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (payload.TryGetProperty("exp", out var exp))
        {
            if (exp.ValueKind != JsonValueKind.Number)
            {
                return "Jwt [exp] is not a number";
            }

            if (now > exp.GetDouble() + ClockSkew.TotalSeconds)
            {
                return "Jwt is expired";
            }
        }

        if (payload.TryGetProperty("nbf", out var nbf))
        {
            if (nbf.ValueKind != JsonValueKind.Number)
            {
                return "Jwt [nbf] is not a number";
            }

            if (now < nbf.GetDouble() - ClockSkew.TotalSeconds)
            {
                return "Jwt not yet valid";
            }
        }

        foreach (var name in new[] { "sub", "azp" })
        {
            if (payload.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                return $"Jwt [{name}] is not a string";
            }
        }

        if (payload.TryGetProperty("aud", out var aud))
        {
            if (aud.ValueKind == JsonValueKind.String)
            {
                audiences = [aud.GetString()!];
            }
            else if (aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String))
            {
                audiences = [.. aud.EnumerateArray().Select(a => a.GetString()!)];
            }
            else
            {
                return "Jwt [aud] is neither a string nor an array of strings";
            }
        }

        return null;
    }

    private static void Accept(HttpContext context, JwtToken token, JwtProvider provider, IReadOnlyList<string> audiences, IReadOnlyList<FoundToken> found)
    {
        context.Features.Set(new RequestAuthentication($"{provider.Issuer}/{token.Text("sub")}", audiences, token.Text("azp"), token.Payload));
        var request = context.Request;
        if (!provider.ForwardOriginalToken)
        {
            foreach (var location in found.Select(f => f.Location).Distinct())
            {
                if (location.Header is { } header)
                {
                    request.Headers.Remove(header);
                }
                else if (location.Parameter is { } parameter)
                {
                    request.QueryString = TokenExtractor.WithoutParameter(request.QueryString, parameter);
                }
                else
                {
                    TokenExtractor.RemoveCookie(request.Headers, location.Cookie!);
                }
            }
        }

        if (provider.PayloadHeader is { } payloadHeader)
        {
            request.Headers[payloadHeader] = token.PayloadSegment;
        }

        foreach (var (header, claim) in provider.ClaimHeaders)
        {
            if (ClaimValue.Find(token.Payload, claim) is { } value)
            {
                request.Headers[header] = value;
            }
        }
    }

    private string Refuse(HttpContext context, string reason)
    {
        LogRefused(logger, context.Request.Method, context.Request.Path.Value ?? "", reason);
        return reason;
    }

    private JwtPolicy PolicyFor(ProxyState? state)
    {
        if (state is null)
        {
            return JwtPolicy.Empty;
        }

        var compiled = Volatile.Read(ref _compiled);
        if (compiled is not null && ReferenceEquals(compiled.State, state))
        {
            return compiled.Policy;
        }

        var policy = JwtPolicy.Compile(state.Snapshot, config.Identity, jwks);
        foreach (var problem in policy.Problems)
        {
            LogProblem(logger, state.Snapshot.Version, problem);
        }

        // Requests racing on a new state may compile it twice; both results are equal and either may stay.
        Volatile.Write(ref _compiled, new Compiled(state, policy));
        return policy;
    }

    private sealed record Compiled(ProxyState State, JwtPolicy Policy);

    [LoggerMessage(Level = LogLevel.Information, Message = "JWT refused for {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Config {Version}: {Problem}")]
    private static partial void LogProblem(ILogger logger, string version, string problem);
}
