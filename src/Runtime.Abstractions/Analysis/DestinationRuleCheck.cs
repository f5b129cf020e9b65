using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;

namespace Runtime.Abstractions.Analysis;

/// <summary>MSH0102 and MSH0202: a DestinationRule's host exists and each of its subsets selects some endpoint.</summary>
internal sealed class DestinationRuleCheck : IAnalysisCheck
{
    public void Run(AnalysisContext context, FindingSink findings)
    {
        foreach (var rule in context.DestinationRules)
        {
            if (rule.Spec.Host is not { Length: > 0 } written)
            {
                continue;
            }

            var host = ServiceHosts.Qualify(written, rule.Namespace);
            var exists = context.Registry.Exists(host);
            if (exists == false)
            {
                var closest = Suggestions.Closest(host, context.Registry.KnownHosts);
                var resolved = host == written ? "" : $" (resolved to {host})";
                findings.Report(rule, AnalysisCodes.DestinationRuleHostNotFound, "spec.host",
                    $"host \"{written}\"{resolved} matches no registered service or ServiceEntry, so this rule applies to no traffic",
                    closest is null ? "correct the host, or delete the rule" : $"did you mean \"{closest}\"? otherwise delete the rule");
            }
            else if (exists == true && !MeshHostNames.IsWildcard(host))
            {
                CheckSubsets(context, findings, rule, host);
            }
        }
    }

    private static void CheckSubsets(AnalysisContext context, FindingSink findings, AnalyzedResource<DestinationRuleSpec> rule, string host)
    {
        var endpoints = context.Registry.EndpointsOf(host);
        if (endpoints.Count == 0)
        {
            // Nothing known to select from (a DNS ServiceEntry, or a Service whose workloads are not in the files).
            return;
        }

        foreach (var (subset, i) in (rule.Spec.Subsets ?? []).Select((s, i) => (s, i)))
        {
            if (subset.Labels is not { Count: > 0 } labels
                || endpoints.Any(e => labels.All(l => e.Labels.TryGetValue(l.Key, out var v) && v == l.Value)))
            {
                continue;
            }

            var wanted = string.Join(",", labels.Select(l => $"{l.Key}={l.Value}"));
            var seen = endpoints.SelectMany(e => e.Labels.Where(l => labels.ContainsKey(l.Key)))
                .Select(l => $"{l.Key}={l.Value}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var have = seen.Count == 0 ? "none of them has these label keys" : $"they have {string.Join(", ", seen)}";
            findings.Report(rule, AnalysisCodes.SubsetSelectsNoEndpoints, $"spec.subsets[{i}].labels",
                $"subset \"{subset.Name}\" selects none of the {endpoints.Count} endpoint(s) of {host}: no endpoint has {wanted} ({have})",
                "correct the subset's labels to match the workloads' labels, or deploy workloads with these labels");
        }
    }
}
