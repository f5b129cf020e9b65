using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Cli.Api;

namespace Runtime.Cli.TlsCheck;

/// <summary>
/// The DestinationRule <c>tls</c> a given client sidecar applies to a service port, found as the sidecar's route
/// table finds it: rules visible to the client (exportTo) whose workloadSelector matches it; the client's
/// namespace first, then the service's, then the root namespaces (<c>mesh-system</c>, then <c>istio-system</c>); the
/// most specific host wins, same-host rules merge oldest first (first traffic policy wins), and
/// <c>portLevelSettings</c> for the port override the top-level <c>tls</c>; a subset's <c>tls</c> (and its port level)
/// overrides both for the traffic routed to it.
/// </summary>
internal sealed class DestinationRuleLookup
{
    private readonly List<(string Host, string Name, string Namespace, DestinationRuleSpec Spec)> _rules = [];

    /// <summary>Indexes the DestinationRules among <paramref name="resources"/>.</summary>
    public DestinationRuleLookup(IEnumerable<MeshResource> resources)
    {
        var rules = resources
            .Where(r => r.Kind == MeshKinds.DestinationRule.Kind)
            .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal);
        foreach (var resource in rules)
        {
            if (MeshKinds.DestinationRule.Bind(resource.Spec).Value is DestinationRuleSpec { Host: { Length: > 0 } host } spec)
            {
                var ns = resource.Metadata.Namespace ?? "default";
                _rules.Add((ServiceHosts.Qualify(host.Trim().ToLowerInvariant(), ns), $"{ns}/{resource.Metadata.Name}", ns, spec));
            }
        }
    }

    /// <summary>
    /// The <c>tls</c> <paramref name="client"/> applies to <paramref name="host"/>:<paramref name="port"/>: first for the
    /// whole service, then for each subset whose effective mode differs from it (traffic a VirtualService routes there).
    /// </summary>
    public IReadOnlyList<ClientRoute> Find(MeshWorkload client, string host, string serviceNamespace, int port)
    {
        foreach (var ns in new[] { client.Namespace, serviceNamespace }.Concat(RootNamespaces.All).Distinct(StringComparer.Ordinal))
        {
            var candidates = _rules.Where(r => r.Namespace == ns && Applies(r.Spec, r.Namespace, client) && Covers(r.Host, host)).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var best = candidates.Max(c => Specificity(c.Host));
            var chosen = candidates.Where(c => Specificity(c.Host) == best).ToList();
            var name = string.Join(",", chosen.Select(c => c.Name));
            var policy = chosen.Select(c => c.Spec.TrafficPolicy).FirstOrDefault(p => p is not null);
            var tls = ForPort(policy, port);
            var routes = new List<ClientRoute> { new(name, null, tls) };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var subset in chosen.SelectMany(c => c.Spec.Subsets ?? []))
            {
                // As the route table merges subsets: the first of a name wins; the subset's tls, then its port level, override.
                if (subset.Name is not { Length: > 0 } subsetName || !seen.Add(subsetName))
                {
                    continue;
                }

                var subsetTls = ForPort(subset.TrafficPolicy, port) ?? tls;
                if (subsetTls?.Mode != tls?.Mode)
                {
                    routes.Add(new ClientRoute($"{name} subset {subsetName}", subset.Labels ?? new Dictionary<string, string>(), subsetTls));
                }
            }

            return routes;
        }

        return [new ClientRoute(null, null, null)];
    }

    private static ClientTlsSettings? ForPort(TrafficPolicy? policy, int port) =>
        policy?.PortLevelSettings?.FirstOrDefault(p => p.Port?.Number == port)?.Tls ?? policy?.Tls;

    private static bool Applies(DestinationRuleSpec spec, string ruleNamespace, MeshWorkload client) =>
        Visible(spec.ExportTo, ruleNamespace, client.Namespace)
        && (spec.WorkloadSelector?.MatchLabels is not { Count: > 0 } wanted || wanted.All(l => client.Labels.TryGetValue(l.Key, out var v) && v == l.Value));

    // Istio's exportTo: absent or empty means everywhere; "*" everywhere; "." the rule's namespace; "~" nowhere.
    private static bool Visible(IReadOnlyList<string>? exportTo, string ruleNamespace, string clientNamespace) =>
        exportTo is not { Count: > 0 } || exportTo.Any(t => t == "*" || (t == "." && ruleNamespace == clientNamespace) || t == clientNamespace);

    private static bool Covers(string pattern, string host) =>
        pattern == host
        || pattern == "*"
        || (pattern.StartsWith("*.", StringComparison.Ordinal) && host.Length > pattern.Length - 1 && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase));

    private static int Specificity(string host) => host.StartsWith('*') ? host.Length : int.MaxValue;
}
