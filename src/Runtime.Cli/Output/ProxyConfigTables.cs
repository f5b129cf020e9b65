using System.Globalization;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;

namespace Runtime.Cli.Output;

/// <summary>istioctl-style summaries of one proxy snapshot: HTTP routes, clusters (services and subsets), endpoints.</summary>
internal static class ProxyConfigTables
{
    /// <summary>One row per host and HTTP route of each VirtualService, in route order.</summary>
    public static void Routes(TextWriter output, ProxySnapshot snapshot)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var resource in snapshot.Resources.Where(r => r.Kind == MeshKinds.VirtualService.Kind))
        {
            if (MeshKinds.VirtualService.Bind(resource.Spec).Value is not VirtualServiceSpec spec)
            {
                continue;
            }

            var ns = resource.Metadata.Namespace;
            foreach (var host in spec.Hosts ?? [])
            {
                foreach (var route in spec.Http ?? [])
                {
                    rows.Add([ServiceHosts.Qualify(host, ns), Match(route), Action(route, ns), $"{resource.Metadata.Name}.{ns}"]);
                }
            }
        }

        TextTable.Write(output, ["HOST", "MATCH", "ROUTE", "VIRTUAL SERVICE"], rows);
    }

    /// <summary>One row per service and port, plus one per DestinationRule subset.</summary>
    public static void Clusters(TextWriter output, ProxySnapshot snapshot)
    {
        var rules = snapshot.Resources
            .Where(r => r.Kind == MeshKinds.DestinationRule.Kind)
            .Select(r => (Resource: r, Spec: MeshKinds.DestinationRule.Bind(r.Spec).Value as DestinationRuleSpec))
            .Where(r => r.Spec?.Host is { Length: > 0 })
            .Select(r => (Host: ServiceHosts.Qualify(r.Spec!.Host!, r.Resource.Metadata.Namespace), Name: $"{r.Resource.Metadata.Name}.{r.Resource.Metadata.Namespace}", r.Spec!.Subsets))
            .ToList();
        var rows = new List<IReadOnlyList<string>>();
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in snapshot.Services)
        {
            hosts.Add(service.Host);
            var ports = service.Ports.Count == 0 ? "-" : string.Join(",", service.Ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            var rule = rules.FirstOrDefault(r => r.Host == service.Host);
            rows.Add([service.Host, ports, "-", rule.Name ?? "-"]);
            rows.AddRange((rule.Subsets ?? []).Select(s => (IReadOnlyList<string>)[service.Host, ports, s.Name ?? "", rule.Name!]));
        }

        // A rule for a host no registered service or ServiceEntry declares still shows, so a typo is visible.
        foreach (var rule in rules.Where(r => !hosts.Contains(r.Host)))
        {
            rows.Add([rule.Host, "-", "-", rule.Name]);
            rows.AddRange((rule.Subsets ?? []).Select(s => (IReadOnlyList<string>)[rule.Host, "-", s.Name ?? "", rule.Name]));
        }

        TextTable.Write(output, ["SERVICE FQDN", "PORT", "SUBSET", "DESTINATION RULE"], rows);
    }

    /// <summary>
    /// One row per endpoint of each service. OUTLIER is what this proxy's outlier detector says of the endpoint
    /// (as istioctl's OUTLIER CHECK, with the why); EJECTED BY counts the reporting proxies that eject it now.
    /// </summary>
    public static void Endpoints(TextWriter output, ProxySnapshot snapshot, MeshOutlierHealth outlier)
    {
        var rows = snapshot.Services
            .SelectMany(s => s.Endpoints.Select(e => (Service: s, Endpoint: e, Health: outlier.Find(s.Host, e.Address, e.Port))))
            .Select(x => (IReadOnlyList<string>)
            [
                $"{x.Endpoint.Address}:{x.Endpoint.Port.ToString(CultureInfo.InvariantCulture)}",
                x.Endpoint.Health.ToString().ToUpperInvariant(),
                Outlier(x.Health?.ReportOf(snapshot.ProxyId)),
                outlier.ReportingProxies == 0
                    ? "-"
                    : string.Create(CultureInfo.InvariantCulture, $"{x.Health?.EjectedBy ?? 0}/{outlier.ReportingProxies} {(outlier.ReportingProxies == 1 ? "proxy" : "proxies")}"),
                x.Service.Host,
                x.Endpoint.Labels.Count == 0 ? "-" : string.Join(",", x.Endpoint.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            ])
            .ToList();
        TextTable.Write(output, ["ENDPOINT", "STATUS", "OUTLIER", "EJECTED BY", "SERVICE", "LABELS"], rows);
    }

    /// <summary><c>ejected (2x, until 12:00:31Z): 5 consecutive 5xx</c> while ejected; <c>-</c> otherwise.</summary>
    private static string Outlier(EndpointOutlierStatus? status)
    {
        if (status is not { Ejected: true })
        {
            return "-";
        }

        var details = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{status.EjectionCount}x") };
        if (status.EjectedUntil is { } until)
        {
            details.Add("until " + until.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + "Z");
        }

        return $"ejected ({string.Join(", ", details)})" + (status.Reason is { } reason ? $": {reason}" : "");
    }

    private static string Match(HttpRoute route)
    {
        if (route.Match is not { Count: > 0 } matches)
        {
            return "/*";
        }

        return string.Join(" OR ", matches.Select(m =>
        {
            var parts = new List<string>();
            if (m.Uri is { } uri)
            {
                parts.Add(Describe("uri", uri.Exact, uri.Prefix, uri.Regex));
            }

            if (m.Method is { } method)
            {
                parts.Add(Describe("method", method.Exact, method.Prefix, method.Regex));
            }

            foreach (var (name, value) in m.Headers ?? new Dictionary<string, Abstractions.Common.StringMatch>())
            {
                parts.Add(Describe(name, value.Exact, value.Prefix, value.Regex));
            }

            if (m.Port is { } port)
            {
                parts.Add($"port={port.ToString(CultureInfo.InvariantCulture)}");
            }

            return parts.Count == 0 ? "/*" : string.Join(" ", parts);
        }));
    }

    private static string Describe(string what, string? exact, string? prefix, string? regex) =>
        exact is not null ? $"{what}={exact}" : prefix is not null ? $"{what}={prefix}*" : $"{what}~{regex}";

    private static string Action(HttpRoute route, string ns)
    {
        if (route.Redirect is { } redirect)
        {
            return $"redirect {redirect.Authority}{redirect.Uri}".TrimEnd();
        }

        if (route.DirectResponse is { } direct)
        {
            return $"direct response {direct.Status}";
        }

        var destinations = route.Route ?? [];
        var weighted = destinations.Count > 1 || destinations.Any(d => d.Weight is not null);
        return destinations.Count == 0 ? "-" : string.Join(", ", destinations.Select(d =>
        {
            var target = d.Destination is { Host: { } host } dest
                ? ServiceHosts.Qualify(host, ns) + (dest.Subset is { } subset ? $"|{subset}" : "") + (dest.Port?.Number is { } p ? $":{p}" : "")
                : "?";
            return weighted ? $"{target} {(d.Weight ?? 0).ToString(CultureInfo.InvariantCulture)}%" : target;
        }));
    }
}
