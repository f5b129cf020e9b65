using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's VirtualService rules: hosts, at least one route list, and valid HTTP, TCP and TLS routes.</summary>
internal sealed class VirtualServiceValidator : SpecValidator<VirtualServiceSpec>
{
    protected override void Validate(VirtualServiceSpec spec, IssueSink issues)
    {
        if (spec.Hosts is not { Count: > 0 })
        {
            // Delegate VirtualServices have no hosts; anything else without hosts never matches.
            issues.Warning("spec.hosts", "no hosts: this VirtualService only works as a delegate of another one", "add hosts: [my-service]");
        }

        for (var i = 0; i < (spec.Hosts?.Count ?? 0); i++)
        {
            HostRules.Validate($"spec.hosts[{i}]", spec.Hosts![i], issues);
        }

        if ((spec.Http?.Count ?? 0) + (spec.Tcp?.Count ?? 0) + (spec.Tls?.Count ?? 0) == 0)
        {
            issues.Error("spec", "a VirtualService needs at least one of http, tcp or tls routes", "add http: with a route to a destination");
        }

        for (var i = 0; i < (spec.Http?.Count ?? 0); i++)
        {
            HttpRouteRules.Validate($"spec.http[{i}]", spec.Http![i], issues);
        }

        ValidateJwtClaimRoutes(spec, issues);

        for (var i = 0; i < (spec.Tcp?.Count ?? 0); i++)
        {
            var path = $"spec.tcp[{i}]";
            for (var m = 0; m < (spec.Tcp![i].Match?.Count ?? 0); m++)
            {
                var match = spec.Tcp[i].Match![m];
                NetworkRules.ValidateIpsOrCidrs($"{path}.match[{m}].destinationSubnets", match.DestinationSubnets, issues);
                NetworkRules.ValidatePort($"{path}.match[{m}].port", match.Port, issues);
            }

            DestinationRules.ValidateWeighted(path, spec.Tcp[i].Route, issues);
        }

        for (var i = 0; i < (spec.Tls?.Count ?? 0); i++)
        {
            ValidateTlsRoute($"spec.tls[{i}]", spec.Tls![i], issues);
        }
    }

    private static void ValidateJwtClaimRoutes(VirtualServiceSpec spec, IssueSink issues)
    {
        // Like Istio: claim-based routing runs only on gateways, so it is an error when the rules also apply to sidecars.
        var gateways = spec.Gateways ?? [];
        if (gateways.Count > 0 && !gateways.Contains("mesh", StringComparer.Ordinal))
        {
            return;
        }

        for (var i = 0; i < (spec.Http?.Count ?? 0); i++)
        {
            for (var m = 0; m < (spec.Http![i].Match?.Count ?? 0); m++)
            {
                var match = spec.Http[i].Match![m];
                foreach (var (field, headers) in new[] { ("headers", match.Headers), ("withoutHeaders", match.WithoutHeaders) })
                {
                    foreach (var name in (headers?.Keys ?? []).Where(HeaderRules.IsJwtClaim))
                    {
                        issues.Error(Binding.FieldPath.Field($"spec.http[{i}].match[{m}].{field}", name), $"JWT claim routing ('{name}') only works on gateways, but this VirtualService applies to sidecars", "list the ingress gateway under gateways: (without mesh)");
                    }
                }
            }
        }
    }

    private static void ValidateTlsRoute(string path, TlsRoute route, IssueSink issues)
    {
        if (route.Match is not { Count: > 0 })
        {
            issues.Error($"{path}.match", "a TLS route needs at least one match", "add match: [{ sniHosts: [my.example.com] }]");
        }

        for (var m = 0; m < (route.Match?.Count ?? 0); m++)
        {
            var match = route.Match![m];
            if (match.SniHosts is not { Count: > 0 })
            {
                issues.Error($"{path}.match[{m}].sniHosts", "a TLS match needs at least one SNI host", "add sniHosts: [my.example.com]");
            }

            for (var h = 0; h < (match.SniHosts?.Count ?? 0); h++)
            {
                HostRules.Validate($"{path}.match[{m}].sniHosts[{h}]", match.SniHosts![h], issues);
            }

            NetworkRules.ValidateIpsOrCidrs($"{path}.match[{m}].destinationSubnets", match.DestinationSubnets, issues);
            NetworkRules.ValidatePort($"{path}.match[{m}].port", match.Port, issues);
        }

        DestinationRules.ValidateWeighted(path, route.Route, issues);
    }
}
