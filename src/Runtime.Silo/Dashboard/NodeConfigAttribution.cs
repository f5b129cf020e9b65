using System.Text.Json;
using Runtime.Abstractions.Analysis;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;

namespace Runtime.Silo.Dashboard;

/// <summary>
/// The config the dashboard lists under a node, each with why it applies. VirtualServices and DestinationRules apply
/// by host the way the sidecars pick them: an exact host wins over a wildcard that covers it
/// (<c>*.default.svc.cluster.local</c>), and a longer wildcard over a shorter one; the ones that lose are still listed,
/// marked as shadowed by the winner, so an operator sees why a wildcard rule does not act here. Policies and Telemetry
/// apply by selector, own namespace, or the root namespace.
/// </summary>
internal static class NodeConfigAttribution
{
    /// <summary>The resources among <paramref name="visible"/> that concern the node serving <paramref name="host"/>,
    /// ordered by kind, namespace and name.</summary>
    public static List<DashboardConfigRef> For(IEnumerable<MeshResource> visible, string host, string @namespace, IReadOnlyList<IReadOnlyDictionary<string, string>> labels)
    {
        var resources = visible.ToList();
        var found = new List<(MeshResource Resource, string Why, bool Shadowed)>();
        found.AddRange(ByHost(resources, MeshKinds.VirtualService.Kind, host, r => Strings(r.Spec, "hosts"), "routes host"));
        found.AddRange(ByHost(resources, MeshKinds.DestinationRule.Kind, host, r => String(r.Spec, "host") is { } h ? [h] : [], "traffic policy for host"));
        foreach (var resource in resources)
        {
            if (resource.Kind != MeshKinds.VirtualService.Kind && resource.Kind != MeshKinds.DestinationRule.Kind && resource.Kind != MeshKinds.ServiceEntry.Kind
                && BySelector(resource, @namespace, labels) is { } why)
            {
                found.Add((resource, why, false));
            }
        }

        return [.. found
            .OrderBy(x => x.Resource.Kind, StringComparer.Ordinal)
            .ThenBy(x => x.Resource.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(x => x.Resource.Metadata.Name, StringComparer.Ordinal)
            .Select(x => new DashboardConfigRef(x.Resource.Kind, x.Resource.Metadata.Namespace, x.Resource.Metadata.Name, x.Why, x.Shadowed))];
    }

    // The resources of one kind whose hosts cover the node's host; the most specific pattern wins, the rest are shadowed.
    private static IEnumerable<(MeshResource Resource, string Why, bool Shadowed)> ByHost(List<MeshResource> resources, string kind, string host, Func<MeshResource, IEnumerable<string>> hostsOf, string verb)
    {
        var candidates = resources
            .Where(r => r.Kind == kind)
            .Select(r => (Resource: r, Pattern: BestPattern(hostsOf(r).Select(h => ServiceHosts.Qualify(h, r.Metadata.Namespace)), host)))
            .Where(c => c.Pattern is not null)
            .ToList();
        if (candidates.Count == 0)
        {
            return [];
        }

        var best = candidates.Max(c => Specificity(c.Pattern!, host));
        var winner = candidates.First(c => Specificity(c.Pattern!, host) == best).Resource;
        return candidates.Select(c => Specificity(c.Pattern!, host) == best
            ? (c.Resource, MeshHostNames.IsWildcard(c.Pattern!) ? $"{verb} {host} (wildcard {c.Pattern})" : $"{verb} {host}", false)
            : (c.Resource, $"shadowed for host {host} by {kind} {winner.Metadata.Namespace}/{winner.Metadata.Name} (wildcard {c.Pattern} is less specific)", true));
    }

    // The most specific of a resource's patterns that covers the host, or null when none does.
    private static string? BestPattern(IEnumerable<string> patterns, string host) =>
        patterns.Where(p => MeshHostNames.Covers(p, host)).OrderByDescending(p => Specificity(p, host)).FirstOrDefault();

    // An exact host beats every wildcard; among wildcards the longer suffix is the more specific.
    private static int Specificity(string pattern, string host) =>
        string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase) ? int.MaxValue : pattern.Length;

    private static string? BySelector(MeshResource resource, string @namespace, IReadOnlyList<IReadOnlyDictionary<string, string>> labels)
    {
        var ns = resource.Metadata.Namespace;
        var matchLabels = MatchLabels(resource.Spec);
        if (matchLabels.Count > 0)
        {
            var selects = (ns == @namespace || RootNamespaces.Contains(ns))
                && labels.Any(l => matchLabels.All(m => l.TryGetValue(m.Key, out var v) && v == m.Value));
            return selects ? $"selects {string.Join(",", matchLabels.Select(m => $"{m.Key}={m.Value}"))}" : null;
        }

        return RootNamespaces.Contains(ns) ? $"mesh-wide (root namespace {ns})" : ns == @namespace ? $"namespace-wide ({ns})" : null;
    }

    private static string? String(JsonElement spec, string property) =>
        spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> Strings(JsonElement spec, string property) =>
        spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty(property, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)
            : [];

    private static Dictionary<string, string> MatchLabels(JsonElement spec)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("selector", out var selector) && selector.ValueKind == JsonValueKind.Object
            && selector.TryGetProperty("matchLabels", out var match) && match.ValueKind == JsonValueKind.Object)
        {
            foreach (var label in match.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.String))
            {
                result[label.Name] = label.Value.GetString()!;
            }
        }

        return result;
    }
}
