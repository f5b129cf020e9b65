using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Discovery;

namespace Runtime.Abstractions.Analysis;

/// <summary>MSH0101 and MSH0201: every destination names a host that exists and a subset a DestinationRule defines.</summary>
internal sealed class DestinationCheck : IAnalysisCheck
{
    public void Run(AnalysisContext context, FindingSink findings)
    {
        foreach (var vs in context.VirtualServices)
        {
            foreach (var (path, destination) in RouteDestinations.Of(vs.Spec))
            {
                if (destination.Host is not { Length: > 0 } written)
                {
                    continue;
                }

                var host = ServiceHosts.Qualify(written, vs.Namespace);
                if (context.Registry.Exists(host) == false)
                {
                    var closest = Suggestions.Closest(host, context.Registry.KnownHosts);
                    var resolved = host == written ? "" : $" (resolved to {host})";
                    findings.Report(vs, AnalysisCodes.DestinationHostNotFound, path + ".host",
                        $"host \"{written}\"{resolved} matches no registered service or ServiceEntry",
                        closest is null
                            ? $"correct the host, or declare it with a ServiceEntry (external) or a workload registered as that service"
                            : $"did you mean \"{closest}\"? otherwise declare the host with a ServiceEntry");
                }

                if (destination.Subset is { Length: > 0 } subset)
                {
                    CheckSubset(context, findings, vs, path + ".subset", host, subset);
                }
            }
        }
    }

    private static void CheckSubset(AnalysisContext context, FindingSink findings, AnalyzedResource<Networking.VirtualServiceSpec> vs, string path, string host, string subset)
    {
        var rules = context.RulesFor(host);
        var defined = rules.SelectMany(r => (r.Spec.Subsets ?? []).Select(s => s.Name)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (defined.Contains(subset, StringComparer.Ordinal))
        {
            return;
        }

        if (rules.Count == 0)
        {
            findings.Report(vs, AnalysisCodes.SubsetNotDefined, path,
                $"subset \"{subset}\" of host {host} is not defined: no DestinationRule exists for that host",
                $"create a DestinationRule for host {host} with subset \"{subset}\" and its labels, or remove subset from the destination");
            return;
        }

        var names = string.Join(", ", rules.Select(r => "DestinationRule " + r.DisplayName));
        var has = defined.Count == 0 ? "defines no subsets" : $"defines {string.Join(", ", defined)}";
        findings.Report(vs, AnalysisCodes.SubsetNotDefined, path,
            $"subset \"{subset}\" of host {host} is not defined by {names} (it {has})",
            $"add subset \"{subset}\" with its labels to {names}, or route to a defined subset");
    }
}
