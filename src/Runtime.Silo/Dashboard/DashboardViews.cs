using System.Text.Json;
using Runtime.Abstractions.Analysis;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Abstractions.Validation;
using Runtime.Silo.Discovery;
using Runtime.Silo.Store;

namespace Runtime.Silo.Dashboard;

/// <summary>
/// Reads the dashboard's proxies, config and node views from the registry, distribution and store: the same
/// sources as <c>meshctl proxy-status</c>, <c>meshctl get</c>'s APPLIED column and <c>meshctl analyze --with-server</c>.
/// </summary>
internal sealed class DashboardViews(IConfigStore store, SnapshotDistributor distributor, TimeProvider time, INodeEdgeSource? edges = null)
{
    /// <summary>The version shown for a workload without a <c>version</c> label.</summary>
    public const string Unknown = "unknown";

    /// <summary>Every registered proxy with its sync state and certificate.</summary>
    public DashboardProxyList Proxies() => new([.. distributor.Statuses().Select(ToRow)]);

    /// <summary>Every stored resource with its findings and applied counts.</summary>
    public async Task<DashboardConfig> ConfigAsync(CancellationToken cancellationToken)
    {
        var listed = await store.ListAsync(kind: null, @namespace: null, selector: null, cancellationToken).ConfigureAwait(false);
        var statuses = distributor.Statuses();
        var proxies = statuses.Select(s => s.Proxy).ToList();
        var report = ConfigAnalyzer.Analyze(new AnalysisInput
        {
            Resources = [.. listed.Resources.Select(r => new LocatedResource { Resource = r })],
            Services = SnapshotBuilder.RegisteredServices(proxies, []),
            RegistryComplete = true,
        });
        var analyzed = report.Findings.ToLookup(f => f.Resource);
        var applied = distributor.Applied([.. listed.Resources.Select(r => r.Key)]).ToDictionary(a => a.Key);
        var rows = listed.Resources
            .OrderBy(r => r.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .Select(r =>
            {
                var counts = applied.GetValueOrDefault(r.Key);
                var findings = ManifestReader.Validate(r).Select(ToFinding)
                    .Concat(analyzed[r.Key].Select(ToFinding))
                    .OrderBy(f => SeverityOrder(f.Severity))
                    .ToList();
                return new DashboardResource(
                    r.Kind, r.Metadata.Namespace, r.Metadata.Name, r.Metadata.ResourceVersion, counts?.Applied ?? 0, counts?.Proxies ?? 0, findings);
            })
            .ToList();
        return new DashboardConfig(proxies.Count, rows);
    }

    /// <summary>One node (service version): its endpoints, proxies and the config that applies to it; null when no proxy is registered for it.</summary>
    public DashboardNode? Node(string @namespace, string service, string version)
    {
        var statuses = distributor.Statuses()
            .Where(s => s.Proxy.Identity.Namespace == @namespace && s.Proxy.Identity.Service == service && VersionOf(s.Proxy) == version)
            .ToList();
        if (statuses.Count == 0)
        {
            return null;
        }

        var host = ServiceHosts.For(service, @namespace);
        var outliers = OutlierHealthView.Of([.. distributor.Statuses().Select(s => s.Proxy)], host);
        var endpoints = statuses.Select(s =>
        {
            var identity = s.Proxy.Identity;
            var outlier = outliers.Find(host, identity.Address, identity.InboundPort);
            return new DashboardEndpoint(
                identity.Address, identity.InboundPort, identity.Instance, s.Proxy.Id, version, "HEALTHY", outlier?.EjectedBy ?? 0, outlier?.LastReason);
        }).ToList();
        var labels = statuses.Select(s => s.Proxy.Identity.Labels).ToList();
        var visible = distributor.Config.Resources.Values.Where(r => r.IsVisibleTo(@namespace)).Select(r => r.Resource);
        var config = NodeConfigAttribution.For(visible, host, @namespace, labels);
        var id = $"{@namespace}/{service}/{version}";
        var (inbound, outbound) = edges?.EdgesOf(id) ?? ([], []);
        return new DashboardNode(id, service, @namespace, version, host, endpoints, [.. statuses.Select(ToRow)], config, inbound, outbound);
    }

    /// <summary>The node version of a proxy: its <c>version</c> label, else <see cref="Unknown"/>.</summary>
    public static string VersionOf(RegisteredProxy proxy) =>
        proxy.Identity.Labels.TryGetValue("version", out var version) && version.Length > 0 ? version : Unknown;

    private DashboardProxy ToRow(ProxyStatusView status)
    {
        var proxy = status.Proxy;
        var identity = proxy.Identity;
        var certificate = proxy.Certificate is { } c
            ? new DashboardCertificate(c.SpiffeId, c.NotAfter.UtcDateTime, (long)Math.Floor((c.NotAfter - time.GetUtcNow()).TotalSeconds))
            : null;
        return new DashboardProxy(
            proxy.Id, identity.Service, identity.Namespace, VersionOf(proxy), identity.Instance, $"{identity.Address}:{identity.InboundPort}",
            status.State.ToString().ToUpperInvariant(), proxy.Connected, status.AckedVersion, status.LatestVersion,
            status.NackError.Length == 0 ? null : status.NackError, proxy.LastHeartbeat.UtcDateTime, certificate);
    }

    private static DashboardFinding ToFinding(ValidationIssue issue) => new(
        issue.Severity.ToString(), "VALIDATION", issue.Path, issue.Fix is null ? issue.Message : $"{issue.Message} (fix: {issue.Fix})");

    private static DashboardFinding ToFinding(Finding finding) =>
        new(finding.Level.ToString(), finding.Code, finding.Path, $"{finding.Message} (fix: {finding.Fix})");

    private static int SeverityOrder(string severity) => severity switch { "Error" => 0, "Warning" => 1, _ => 2 };
}
