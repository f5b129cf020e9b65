using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;

namespace Runtime.Abstractions.Analysis;

/// <summary>
/// MSH0302 and MSH0303: one host routed by several VirtualServices in one scope. For sidecars (<c>mesh</c>) Istio
/// uses only the oldest VirtualService per host; on a Gateway it merges their rules in creation order.
/// </summary>
internal sealed class HostConflictCheck : IAnalysisCheck
{
    public void Run(AnalysisContext context, FindingSink findings)
    {
        var claims = context.VirtualServices
            .SelectMany(vs => (vs.Spec.Hosts ?? []).Select((h, i) => (Vs: vs, Index: i, Host: ServiceHosts.Qualify(h, vs.Namespace)))
                .SelectMany(c => GatewayNames.Scopes(vs.Spec.Gateways, vs.Namespace).Select(scope => (c.Vs, c.Index, c.Host, Scope: scope))))
            .GroupBy(c => (Host: c.Host.ToLowerInvariant(), c.Scope));
        foreach (var group in claims)
        {
            var owners = group.DistinctBy(c => c.Vs.Key).ToList();
            if (owners.Count < 2)
            {
                continue;
            }

            foreach (var claim in owners)
            {
                var others = string.Join(", ", owners.Where(o => o.Vs != claim.Vs).Select(o => o.Vs.DisplayName));
                if (group.Key.Scope == GatewayNames.Mesh)
                {
                    findings.Report(claim.Vs, AnalysisCodes.ConflictingMeshVirtualServices, $"spec.hosts[{claim.Index}]",
                        $"host {claim.Host} is also routed for sidecars by VirtualService {others}; a sidecar uses only the oldest VirtualService per host and ignores the others' rules",
                        "merge the rules into one VirtualService for this host, or delete the ones you do not mean");
                }
                else
                {
                    findings.Report(claim.Vs, AnalysisCodes.ConflictingGatewayVirtualServices, $"spec.hosts[{claim.Index}]",
                        $"host {claim.Host} on Gateway {group.Key.Scope} is also routed by VirtualService {others}; the gateway merges their rules oldest first, so a catch-all in one hides the rules of the next",
                        "merge the rules into one VirtualService for this host on this Gateway");
                }
            }
        }
    }
}
