using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Cli.Api;

namespace Runtime.Cli.TlsCheck;

/// <summary>
/// The DestinationRule <c>tls</c> a given client sidecar applies to a service port, found as the sidecar's route
/// table finds it: rules visible to the client (exportTo) whose workloadSelector matches it; the client's
/// namespace first, then the service's, then the root namespace the route table uses (<c>istio-system</c>); the
/// most specific host wins, same-host rules merge oldest first (first traffic policy wins), and
/// <c>portLevelSettings</c> for the port override the top-level <c>tls</c>. Subset policies are not considered.
/// </summary>
internal sealed class DestinationRuleLookup
{
    // The route table's root namespace for DestinationRules (RouteTableOptions.RootNamespace), not RootNamespaces.All.
    private const string RouteRootNamespace = "istio-system";

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

    /// <summary>The rule(s) <paramref name="client"/> applies to <paramref name="host"/>:<paramref name="port"/>, and their effective <c>tls</c>; (null, null) when none.</summary>
    public (string? Rule, ClientTlsSettings? Tls) Find(MeshWorkload client, string host, string serviceNamespace, int port)
    {
        foreach (var ns in new[] { client.Namespace, serviceNamespace, RouteRootNamespace }.Distinct(StringComparer.Ordinal))
        {
            var candidates = _rules.Where(r => r.Namespace == ns && Applies(r.Spec, r.Namespace, client) && Covers(r.Host, host)).ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            var best = candidates.Max(c => Specificity(c.Host));
            var chosen = candidates.Where(c => Specificity(c.Host) == best).ToList();
            var policy = chosen.Select(c => c.Spec.TrafficPolicy).FirstOrDefault(p => p is not null);
            var tls = policy?.PortLevelSettings?.FirstOrDefault(p => p.Port?.Number == port)?.Tls ?? policy?.Tls;
            return (string.Join(",", chosen.Select(c => c.Name)), tls);
        }

        return (null, null);
    }

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
