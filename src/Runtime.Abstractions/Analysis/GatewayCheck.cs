using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;

namespace Runtime.Abstractions.Analysis;

/// <summary>MSH0401 and MSH0402: each Gateway a VirtualService names exists and accepts the VirtualService's hosts.</summary>
internal sealed class GatewayCheck : IAnalysisCheck
{
    public void Run(AnalysisContext context, FindingSink findings)
    {
        var gateways = context.Gateways.ToDictionary(g => $"{g.Namespace}/{g.Name}", StringComparer.Ordinal);
        foreach (var vs in context.VirtualServices)
        {
            foreach (var (path, reference) in References(vs.Spec))
            {
                var resolved = GatewayNames.Resolve(reference, vs.Namespace);
                if (resolved == GatewayNames.Mesh || gateways.ContainsKey(resolved))
                {
                    continue;
                }

                var name = resolved[(resolved.IndexOf('/', StringComparison.Ordinal) + 1)..];
                var elsewhere = context.Gateways.Where(g => g.Name == name).Select(g => $"{g.Namespace}/{g.Name}").FirstOrDefault();
                var how = reference.Contains('/', StringComparison.Ordinal) ? "" : $" (a short name is looked up in the VirtualService's namespace {vs.Namespace})";
                findings.Report(vs, AnalysisCodes.GatewayNotFound, path,
                    $"Gateway {resolved} does not exist{how}",
                    elsewhere is null ? $"create Gateway {resolved}, or name an existing Gateway as <namespace>/<name>" : $"write \"{elsewhere}\" to use the Gateway of that name in namespace {elsewhere.Split('/')[0]}");
            }

            foreach (var (gatewayIndex, scope) in (vs.Spec.Gateways ?? []).Select((g, i) => (i, GatewayNames.Resolve(g, vs.Namespace))))
            {
                if (gateways.TryGetValue(scope, out var gateway) && gateway.Spec.Servers is { Count: > 0 } servers)
                {
                    CheckHosts(findings, vs, gateway, servers, gatewayIndex);
                }
            }
        }
    }

    private static void CheckHosts(FindingSink findings, AnalyzedResource<VirtualServiceSpec> vs, AnalyzedResource<GatewaySpec> gateway, IReadOnlyList<Server> servers, int gatewayIndex)
    {
        var accepted = servers.SelectMany(s => s.Hosts ?? []).ToList();
        foreach (var (written, i) in (vs.Spec.Hosts ?? []).Select((h, i) => (h, i)))
        {
            var host = ServiceHosts.Qualify(written, vs.Namespace);
            if (accepted.Any(a => Accepts(a, gateway.Namespace, vs.Namespace, host)))
            {
                continue;
            }

            findings.Report(vs, AnalysisCodes.HostNotInGateway, $"spec.hosts[{i}]",
                $"host {written} is not among the hosts of Gateway {gateway.DisplayName} (spec.gateways[{gatewayIndex}]), which accepts {string.Join(", ", accepted.Distinct(StringComparer.Ordinal))}; the gateway never routes it",
                $"add {written} to a server's hosts of Gateway {gateway.DisplayName}, or correct the VirtualService host");
        }
    }

    /// <summary>A server host is <c>[namespace/]host</c>: <c>*</c> any namespace, <c>.</c> the Gateway's own, <c>~</c> none.</summary>
    private static bool Accepts(string serverHost, string gatewayNamespace, string vsNamespace, string host)
    {
        var slash = serverHost.IndexOf('/', StringComparison.Ordinal);
        var ns = slash < 0 ? "*" : serverHost[..slash];
        var pattern = slash < 0 ? serverHost : serverHost[(slash + 1)..];
        var namespaceOk = ns switch
        {
            "*" => true,
            "~" => false,
            "." => vsNamespace == gatewayNamespace,
            _ => vsNamespace == ns,
        };
        return namespaceOk && MeshHostNames.Overlap(pattern, host);
    }

    private static IEnumerable<(string Path, string Reference)> References(VirtualServiceSpec spec)
    {
        foreach (var (g, i) in (spec.Gateways ?? []).Select((g, i) => (g, i)))
        {
            yield return ($"spec.gateways[{i}]", g);
        }

        foreach (var (route, i) in (spec.Http ?? []).Select((r, i) => (r, i)))
        {
            foreach (var (match, j) in (route.Match ?? []).Select((m, j) => (m, j)))
            {
                foreach (var (g, k) in (match.Gateways ?? []).Select((g, k) => (g, k)))
                {
                    yield return ($"spec.http[{i}].match[{j}].gateways[{k}]", g);
                }
            }
        }

        foreach (var (route, i) in (spec.Tls ?? []).Select((r, i) => (r, i)))
        {
            foreach (var (match, j) in (route.Match ?? []).Select((m, j) => (m, j)))
            {
                foreach (var (g, k) in (match.Gateways ?? []).Select((g, k) => (g, k)))
                {
                    yield return ($"spec.tls[{i}].match[{j}].gateways[{k}]", g);
                }
            }
        }

        foreach (var (route, i) in (spec.Tcp ?? []).Select((r, i) => (r, i)))
        {
            foreach (var (match, j) in (route.Match ?? []).Select((m, j) => (m, j)))
            {
                foreach (var (g, k) in (match.Gateways ?? []).Select((g, k) => (g, k)))
                {
                    yield return ($"spec.tcp[{i}].match[{j}].gateways[{k}]", g);
                }
            }
        }
    }
}
