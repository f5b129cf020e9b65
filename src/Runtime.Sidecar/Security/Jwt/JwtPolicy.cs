using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// The JWT rules in force for this workload, compiled from one snapshot: the union of the jwtRules of every
/// RequestAuthentication in its namespace or the root namespace whose selector matches its labels (or has none).
/// Immutable; <see cref="Problems"/> lists what was skipped and why.
/// </summary>
internal sealed class JwtPolicy
{

    /// <summary>A policy with no rules: every request passes untouched.</summary>
    public static readonly JwtPolicy Empty = new([], []);

    private JwtPolicy(IReadOnlyList<JwtProvider> providers, IReadOnlyList<string> problems)
    {
        Providers = providers;
        Problems = problems;
        Locations = [.. providers.SelectMany(p => p.Locations).Distinct()];
        OutputHeaders = [.. providers.SelectMany(p => p.ClaimHeaders.Select(c => c.Header).Append(p.PayloadHeader)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    public IReadOnlyList<JwtProvider> Providers { get; }

    /// <summary>Every location any provider reads, each once.</summary>
    public IReadOnlyList<TokenLocation> Locations { get; }

    /// <summary>Headers the rules write; removed from every incoming request so a client cannot forge them.</summary>
    public IReadOnlyList<string> OutputHeaders { get; }

    public IReadOnlyList<string> Problems { get; }

    /// <summary>Compiles the rules of <paramref name="snapshot"/> that apply to <paramref name="self"/>.</summary>
    public static JwtPolicy Compile(ProxySnapshot snapshot, SidecarIdentity self, JwksCache jwks)
    {
        var providers = new List<JwtProvider>();
        var problems = new List<string>();
        foreach (var resource in snapshot.Resources)
        {
            if (resource.Kind != MeshKinds.RequestAuthentication.Kind
                || !MeshKinds.TryGet(resource.ApiVersion, resource.Kind, out var kind)
                || (resource.Metadata.Namespace != self.Namespace && !RootNamespaces.Contains(resource.Metadata.Namespace)))
            {
                continue;
            }

            var name = $"RequestAuthentication {resource.Metadata.Namespace}/{resource.Metadata.Name}";
            var bound = kind.Bind(resource.Spec);
            if (bound.HasErrors || bound.Value is not RequestAuthenticationSpec spec)
            {
                problems.Add($"{name}: {string.Join("; ", bound.Issues.Select(i => i.ToString()))}");
                continue;
            }

            // targetRef binds a policy to gateways or services (waypoints), not to sidecar workloads.
            if (spec.TargetRef is not null || spec.TargetRefs is { Count: > 0 } || !Selects(spec.Selector?.MatchLabels, self))
            {
                continue;
            }

            for (var i = 0; i < (spec.JwtRules?.Count ?? 0); i++)
            {
                if (CompileRule(spec.JwtRules![i], $"{name} spec.jwtRules[{i}]", jwks, problems) is { } provider)
                {
                    providers.Add(provider);
                }
            }
        }

        return providers.Count == 0 && problems.Count == 0 ? Empty : new JwtPolicy(providers, problems);
    }

    private static bool Selects(IReadOnlyDictionary<string, string>? labels, SidecarIdentity self) =>
        labels is not { Count: > 0 } || labels.All(l => self.Labels.TryGetValue(l.Key, out var value) && value == l.Value);

    private static JwtProvider? CompileRule(JwtRule rule, string path, JwksCache jwks, List<string> problems)
    {
        if (string.IsNullOrEmpty(rule.Issuer))
        {
            problems.Add($"{path}.issuer: issuer is required; the rule is skipped");
            return null;
        }

        IReadOnlyList<JwtVerificationKey>? inline = null;
        JwksSource? remote = null;
        if (!string.IsNullOrEmpty(rule.Jwks))
        {
            try
            {
                inline = JsonWebKeySet.Parse(rule.Jwks);
            }
            catch (FormatException ex)
            {
                // Kept with no keys: the issuer's tokens are then rejected, never let through.
                problems.Add($"{path}.jwks: {ex.Message}; tokens of {rule.Issuer} will be rejected");
                inline = [];
            }
        }
        else if (Uri.TryCreate(rule.JwksUri, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            remote = jwks.For(uri);
        }
        else
        {
            problems.Add($"{path}: neither jwks nor a valid http(s) jwksUri; tokens of {rule.Issuer} will be rejected");
            inline = [];
        }

        var locations = new List<TokenLocation>();
        locations.AddRange((rule.FromHeaders ?? []).Where(h => !string.IsNullOrEmpty(h.Name)).Select(h => TokenLocation.FromHeader(h.Name!, h.Prefix)));
        locations.AddRange((rule.FromParams ?? []).Where(p => !string.IsNullOrEmpty(p)).Select(TokenLocation.FromParameter));
        locations.AddRange((rule.FromCookies ?? []).Where(c => !string.IsNullOrEmpty(c)).Select(TokenLocation.FromCookie));
        if (locations.Count == 0)
        {
            locations.Add(TokenLocation.AuthorizationBearer);
            locations.Add(TokenLocation.AccessTokenParameter);
        }

        return new JwtProvider
        {
            Issuer = rule.Issuer,
            Audiences = new HashSet<string>(rule.Audiences ?? [], StringComparer.Ordinal),
            InlineKeys = inline,
            RemoteKeys = remote,
            FetchTimeout = rule.Timeout is { Value: var timeout } && timeout > TimeSpan.Zero ? timeout : TimeSpan.FromSeconds(5),
            Locations = locations,
            ForwardOriginalToken = rule.ForwardOriginalToken ?? false,
            PayloadHeader = string.IsNullOrEmpty(rule.OutputPayloadToHeader) ? null : rule.OutputPayloadToHeader,
            ClaimHeaders = [.. (rule.OutputClaimToHeaders ?? []).Where(c => !string.IsNullOrEmpty(c.Header) && !string.IsNullOrEmpty(c.Claim)).Select(c => (c.Header!, c.Claim!))],
        };
    }
}
