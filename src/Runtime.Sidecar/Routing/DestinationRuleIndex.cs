using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Security;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// Finds the DestinationRule for a service the way Istio does for a sidecar: look in the sidecar's namespace, then
/// the service's namespace, then the root namespaces (<c>mesh-system</c>, then <c>istio-system</c>), and take the first namespace with a visible rule whose host
/// (qualified relative to the rule's namespace) covers the service; within it the most specific host wins.
/// Same-host rules in that namespace are merged oldest first: subsets are combined (the first of a name wins) and
/// the first top-level traffic policy wins, as Istio merges DestinationRules.
/// </summary>
internal sealed class DestinationRuleIndex
{
    private readonly List<(string Host, BoundResource<DestinationRuleSpec> Rule)> _rules = [];
    private readonly SidecarIdentity _self;
    private readonly RouteTableOptions _options;
    private readonly RouteProblems _problems;

    /// <summary>Indexes the visible rules that select this sidecar.</summary>
    public DestinationRuleIndex(IEnumerable<BoundResource<DestinationRuleSpec>> rules, SidecarIdentity self, RouteTableOptions options, RouteProblems problems)
    {
        _self = self;
        _options = options;
        _problems = problems;
        foreach (var rule in rules.OrderBy(r => r.Resource.Metadata.CreationTimestamp ?? DateTimeOffset.MinValue).ThenBy(r => r.Resource.Metadata.Name, StringComparer.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(rule.Spec.Host))
            {
                problems.Error(rule.Resource, "spec.host", "host is empty", "set spec.host to the service host, e.g. reviews or reviews.default.svc.cluster.local");
                continue;
            }

            var selector = rule.Spec.WorkloadSelector?.MatchLabels;
            if (!MeshHosts.IsVisible(rule.Spec.ExportTo, rule.Namespace, self.Namespace)
                || (selector is { Count: > 0 } && !selector.All(l => self.Labels.TryGetValue(l.Key, out var v) && v == l.Value)))
            {
                continue;
            }

            _rules.Add((MeshHosts.Qualify(rule.Spec.Host, rule.Namespace, options.DomainSuffix), rule));
        }
    }

    /// <summary>The rule for a service, or null.</summary>
    public ResolvedDestinationRule? Find(string serviceHost, string serviceNamespace)
    {
        foreach (var ns in new[] { _self.Namespace, serviceNamespace }.Concat(RootNamespaces.All).Distinct(StringComparer.Ordinal))
        {
            var candidates = _rules.Where(r => r.Rule.Namespace == ns && (r.Host == serviceHost || (MeshHosts.IsWildcard(r.Host) && MeshHosts.WildcardCovers(r.Host, serviceHost)))).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var best = candidates.Max(c => MeshHosts.Specificity(c.Host));
            var chosen = candidates.Where(c => MeshHosts.Specificity(c.Host) == best).Select(c => c.Rule).ToList();
            var subsets = new Dictionary<string, Subset>(StringComparer.Ordinal);
            foreach (var rule in chosen)
            {
                foreach (var (subset, i) in (rule.Spec.Subsets ?? []).Select((s, i) => (s, i)))
                {
                    if (string.IsNullOrEmpty(subset.Name))
                    {
                        continue;
                    }

                    if (!subsets.TryAdd(subset.Name, subset))
                    {
                        _problems.Warning(rule.Resource, $"spec.subsets[{i}].name", $"subset '{subset.Name}' is already defined for host {serviceHost} by an older DestinationRule; this one is ignored", "give the subset a unique name");
                    }
                }
            }

            var policy = chosen.Select(r => r.Spec.TrafficPolicy).FirstOrDefault(p => p is not null);
            return new ResolvedDestinationRule(string.Join(",", chosen.Select(c => c.DisplayName)), policy, subsets);
        }

        return null;
    }
}
