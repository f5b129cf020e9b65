using System.Text.Json;
using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Analysis;

/// <summary>
/// <c>meshctl analyze</c>'s engine: cross-resource checks in the spirit of <c>istioctl analyze</c>, each
/// finding with a stable code (<see cref="AnalysisCodes"/>), the resource and field, and a one-line fix.
/// Pure: it reads only its input.
/// </summary>
public static class ConfigAnalyzer
{
    private static readonly IAnalysisCheck[] Checks =
    [
        new DestinationCheck(),
        new DestinationRuleCheck(),
        new ShadowedRouteCheck(),
        new HostConflictCheck(),
        new GatewayCheck(),
        new RetryBudgetCheck(),
        new TelemetryProviderCheck(),
    ];

    /// <summary>Runs every check.</summary>
    /// <param name="input">The resources and what is known of the registry.</param>
    public static AnalysisReport Analyze(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var findings = new FindingSink();
        var effective = LastDefinitions(input.Resources, findings);
        var context = new AnalysisContext(effective, input.Services, input.RegistryComplete);
        foreach (var check in Checks)
        {
            check.Run(context, findings);
        }

        // Findings grouped by resource in input order, then by where in the resource, so output reads like the files.
        var order = input.Resources.Select((r, i) => (r.Resource.Key, i)).GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.Min(x => x.i));
        var sorted = findings.Findings
            .Select((f, i) => (Finding: f, Index: i))
            .OrderBy(x => order.GetValueOrDefault(x.Finding.Resource, int.MaxValue))
            .ThenBy(x => x.Finding.Line ?? int.MaxValue)
            .ThenBy(x => x.Index)
            .Select(x => x.Finding)
            .ToList();
        return new AnalysisReport(sorted, effective.Count, context.Registry.Unchecked);
    }

    /// <summary>
    /// Applying the input leaves the last definition of each key; an earlier one with other content is lost,
    /// which is worth saying (MSH0001). Identical repeats are harmless and not reported.
    /// </summary>
    private static List<LocatedResource> LastDefinitions(IReadOnlyList<LocatedResource> resources, FindingSink findings)
    {
        var last = new Dictionary<ResourceKey, int>();
        for (var i = 0; i < resources.Count; i++)
        {
            last[resources[i].Resource.Key] = i;
        }

        var effective = new List<LocatedResource>();
        for (var i = 0; i < resources.Count; i++)
        {
            var resource = resources[i];
            var winner = resources[last[resource.Resource.Key]];
            if (ReferenceEquals(winner, resource))
            {
                effective.Add(resource);
            }
            else if (!SameContent(resource.Resource, winner.Resource))
            {
                var where = winner.Source is null ? "later in the input" : winner.LineOf("") is int line ? $"at {winner.Source}:{line}" : $"in {winner.Source}";
                findings.Report(resource, AnalysisCodes.DuplicateResource, "",
                    $"{resource.Resource.Kind} {resource.Resource.Metadata.Namespace}/{resource.Resource.Metadata.Name} is defined again {where} with different content; applying the input keeps only that last definition, so this one has no effect",
                    "give each resource a unique name, or delete the definitions you do not mean");
            }
        }

        return effective;
    }

    private static bool SameContent(MeshResource a, MeshResource b) =>
        JsonElement.DeepEquals(a.Spec, b.Spec)
        && a.Metadata.Labels.Count == b.Metadata.Labels.Count
        && a.Metadata.Labels.All(l => b.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value);
}
