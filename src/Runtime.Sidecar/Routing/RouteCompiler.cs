using System.Text;
using Runtime.Abstractions.Common;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Routing;

/// <summary>Compiles a VirtualService's <c>http</c> rules into match branches for this sidecar, reporting every problem.</summary>
internal sealed class RouteCompiler(SidecarIdentity self, RouteTableOptions options, Func<string, string> canonicalHost, Func<string, bool> isKnownHost, RouteProblems problems)
{
    private static readonly HashSet<string> PseudoHeaderKeys = new(StringComparer.OrdinalIgnoreCase) { "uri", "scheme", "method", "authority" };

    /// <summary>Compiles the rules, in order.</summary>
    public RouteBranch[] Compile(BoundResource<VirtualServiceSpec> vs)
    {
        var branches = new List<RouteBranch>();
        var rules = vs.Spec.Http ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            CompileRule(vs, rules[i], $"spec.http[{i}]", branches);
        }

        return [.. branches];
    }

    private void CompileRule(BoundResource<VirtualServiceSpec> vs, HttpRoute rule, string path, List<RouteBranch> branches)
    {
        if (rule.Delegate is not null)
        {
            problems.Warning(vs.Resource, $"{path}.delegate", "route delegation is not supported by this sidecar yet; the rule is ignored", "inline the delegate's rules");
            return;
        }

        var kinds = (rule.Route is { Count: > 0 } ? 1 : 0) + (rule.Redirect is not null ? 1 : 0) + (rule.DirectResponse is not null ? 1 : 0);
        if (kinds != 1)
        {
            problems.Error(vs.Resource, path, kinds == 0 ? "rule has no route, redirect or directResponse" : "rule sets more than one of route, redirect and directResponse", "give the rule exactly one action");
            return;
        }

        var entries = new List<(RequestMatch? Match, StringMatcher? Uri, bool IgnoreCase)>();
        if (rule.Match is not { Count: > 0 })
        {
            entries.Add((null, null, false));
        }
        else
        {
            for (var j = 0; j < rule.Match.Count; j++)
            {
                if (CompileMatch(vs, rule.Match[j], $"{path}.match[{j}]") is { } match)
                {
                    entries.Add((match, match.Uri, rule.Match[j].IgnoreUriCase == true));
                }
            }
        }

        if (rule.DirectResponse is { } direct)
        {
            if (direct.Status is not int status)
            {
                problems.Error(vs.Resource, $"{path}.directResponse.status", "directResponse has no status", "set status, e.g. 503");
                return;
            }

            var response = new DirectResponse(status, Body(direct.Body));
            branches.AddRange(entries.Select(e => new RouteBranch(e.Match, [], null, response)));
            return;
        }

        if (rule.Redirect is { } redirect)
        {
            var compiled = new RedirectRule(redirect);
            branches.AddRange(entries.Select(e => new RouteBranch(e.Match, [], compiled, null)));
            return;
        }

        var destinations = CompileDestinations(vs, rule, path);
        if (destinations is null)
        {
            return;
        }

        var cors = rule.CorsPolicy is { } policy
            ? CorsRules.Compile(policy, options.RegexMatchTimeout, e => problems.Error(vs.Resource, $"{path}.corsPolicy.allowOrigins", e))
            : null;
        var regexRewrite = rule.Rewrite?.UriRegexRewrite is { Match: { } pattern } rr
            ? StringMatcher.CompileRegex(pattern, anchored: false, options.RegexMatchTimeout, out var rewriteError) is { } regex
                ? UriRewrite.ForRegex(regex, rr.Rewrite ?? "")
                : Report(vs, $"{path}.rewrite.uriRegexRewrite.match", rewriteError!)
            : null;
        var mirrors = Mirrors(vs, rule);
        var retryPolicy = Resilience.RetryPolicy.Compile(rule.Retries, (field, message, fix) => problems.Warning(vs.Resource, $"{path}.retries.{field}", message, fix));
        var faultPolicy = Resilience.FaultPolicy.Compile(rule.Fault, (field, message, fix) => problems.Warning(vs.Resource, $"{path}.fault.{field}", message, fix));

        foreach (var (match, uri, ignoreCase) in entries)
        {
            var rewrite = regexRewrite ?? (rule.Rewrite?.Uri is { } replacement
                ? uri switch
                {
                    { Kind: StringMatchKind.Prefix } => UriRewrite.ForPrefix(uri.Value, ignoreCase, replacement),
                    { Kind: StringMatchKind.Exact or StringMatchKind.Regex } => UriRewrite.ForWholePath(replacement),
                    _ => UriRewrite.ForPrefix("/", false, replacement),
                }
                : null);
            var weighted = destinations.Select(d => new WeightedDestination(d.Host, d.Subset, d.Port, d.Weight, new RouteActions
            {
                RouteName = rule.Name,
                VirtualService = vs.DisplayName,
                UriRewrite = rewrite,
                AuthorityRewrite = string.IsNullOrEmpty(rule.Rewrite?.Authority) ? null : rule.Rewrite.Authority,
                RequestHeaders = HeaderMutations.Merge(d.Headers?.Request, rule.Headers?.Request),
                ResponseHeaders = HeaderMutations.Merge(d.Headers?.Response, rule.Headers?.Response),
                Timeout = rule.Timeout,
                Retries = rule.Retries,
                Fault = rule.Fault,
                RetryPolicy = retryPolicy,
                FaultPolicy = faultPolicy,
                Cors = cors,
            }, mirrors)).ToArray();
            branches.Add(new RouteBranch(match, weighted, null, null));
        }
    }

    private List<(string Host, string? Subset, int? Port, int Weight, HeaderOperations? Headers)>? CompileDestinations(BoundResource<VirtualServiceSpec> vs, HttpRoute rule, string path)
    {
        var result = new List<(string, string?, int?, int, HeaderOperations?)>();
        var ok = true;
        var total = 0;
        for (var k = 0; k < rule.Route!.Count; k++)
        {
            var route = rule.Route[k];
            var at = $"{path}.route[{k}]";
            if (Resolve(vs, route.Destination, $"{at}.destination") is not { } destination)
            {
                ok = false;
                continue;
            }

            // Istio: a lone destination takes all traffic whatever its weight; otherwise weight/sum, absent = 0.
            var weight = rule.Route.Count == 1 ? 100 : route.Weight ?? 0;
            if (weight < 0)
            {
                problems.Error(vs.Resource, $"{at}.weight", $"weight {weight} is negative", "use a weight between 0 and 100");
                ok = false;
                continue;
            }

            total += weight;
            if (weight > 0)
            {
                result.Add((destination.Host, destination.Subset, destination.Port, weight, route.Headers));
            }
        }

        if (ok && total == 0)
        {
            problems.Error(vs.Resource, $"{path}.route", "every destination has weight 0, so no traffic could be routed", "give at least one destination a positive weight");
            ok = false;
        }

        return ok ? result : null;
    }

    private (string Host, string? Subset, int? Port)? Resolve(BoundResource<VirtualServiceSpec> vs, Destination? destination, string path)
    {
        if (string.IsNullOrWhiteSpace(destination?.Host))
        {
            problems.Error(vs.Resource, $"{path}.host", "destination has no host", "set destination.host to a service, e.g. reviews");
            return null;
        }

        var host = canonicalHost(MeshHosts.Qualify(destination.Host, vs.Namespace, options.DomainSuffix));
        if (!isKnownHost(host))
        {
            problems.Warning(vs.Resource, $"{path}.host", $"destination host '{host}' is not a known service or ServiceEntry host; requests routed to it find no endpoints (503)", "check the host name and namespace, or add a ServiceEntry");
        }

        return (host, string.IsNullOrEmpty(destination.Subset) ? null : destination.Subset, destination.Port?.Number);
    }

    private MirrorSpec[] Mirrors(BoundResource<VirtualServiceSpec> vs, HttpRoute rule)
    {
        var mirrors = new List<MirrorSpec>();
        if (rule.Mirror is { } legacy && Resolve(vs, legacy, "spec.http.mirror") is { } target)
        {
            mirrors.Add(new MirrorSpec(target.Host, target.Subset, target.Port, rule.MirrorPercentage?.Value ?? rule.MirrorPercent ?? 100));
        }

        foreach (var (mirror, i) in (rule.Mirrors ?? []).Select((m, i) => (m, i)))
        {
            if (Resolve(vs, mirror.Destination, $"spec.http.mirrors[{i}].destination") is { } resolved)
            {
                mirrors.Add(new MirrorSpec(resolved.Host, resolved.Subset, resolved.Port, mirror.Percentage?.Value ?? 100));
            }
        }

        return [.. mirrors];
    }

    private RequestMatch? CompileMatch(BoundResource<VirtualServiceSpec> vs, HttpMatchRequest match, string path)
    {
        // Conditions about the caller are settled now: this table serves one sidecar.
        if ((match.Gateways is { Count: > 0 } gateways && !gateways.Contains("mesh"))
            || (match.SourceNamespace is { Length: > 0 } ns && ns != self.Namespace)
            || (match.SourceLabels is { Count: > 0 } labels && !labels.All(l => self.Labels.TryGetValue(l.Key, out var v) && v == l.Value)))
        {
            return null;
        }

        var ok = true;
        var timeout = options.RegexMatchTimeout;
        StringMatcher? One(StringMatch? m, bool ignoreCase, string field)
        {
            if (m is null)
            {
                return null;
            }

            var compiled = StringMatcher.Compile(m, ignoreCase, timeout, out var error);
            if (compiled is null)
            {
                problems.Error(vs.Resource, $"{path}.{field}", error!, "use RE2 syntax supported by .NET (no backreferences or lookarounds)");
                ok = false;
            }

            return compiled;
        }

        (string, StringMatcher)[] Many(IReadOnlyDictionary<string, StringMatch>? map, string field, bool lowerNames) =>
            (map ?? new Dictionary<string, StringMatch>())
                .Where(kv => field == "queryParams" || !PseudoHeaderKeys.Contains(kv.Key))
                .Select(kv => (lowerNames ? kv.Key.ToLowerInvariant() : kv.Key, One(kv.Value, false, $"{field}.{kv.Key}")))
                .Where(p => p.Item2 is not null)
                .Select(p => (p.Item1, p.Item2!))
                .ToArray();

        var result = new RequestMatch
        {
            Name = match.Name,
            Uri = One(match.Uri, match.IgnoreUriCase == true, "uri"),
            Scheme = One(match.Scheme, false, "scheme"),
            Method = One(match.Method, false, "method"),
            Authority = One(match.Authority, false, "authority"),
            Headers = Many(match.Headers, "headers", true),
            WithoutHeaders = Many(match.WithoutHeaders, "withoutHeaders", true),
            QueryParams = Many(match.QueryParams, "queryParams", false),
            Port = match.Port,
        };
        return ok ? result : null;
    }

    private UriRewrite? Report(BoundResource<VirtualServiceSpec> vs, string path, string error)
    {
        problems.Error(vs.Resource, path, error, "use RE2 syntax supported by .NET (no backreferences or lookarounds)");
        return null;
    }

    private static string? Body(HttpBody? body)
    {
        if (body?.Text is { } text)
        {
            return text;
        }

        if (body?.Bytes is { } bytes)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(bytes));
            }
            catch (FormatException)
            {
                return bytes;
            }
        }

        return null;
    }
}
