using System.Text.Json.Nodes;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Reading;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Analysis;

/// <summary>
/// Reads manifest files for an offline analysis: the mesh resources with the line of every field, every
/// validation issue <see cref="ManifestReader.Read"/> reports, and the Kubernetes Services and workloads
/// (Deployments, StatefulSets, DaemonSets, Pods) the files also hold, which stand in for the service registry.
/// </summary>
/// <param name="Input">What to analyze; <see cref="AnalysisInput.RegistryComplete"/> is false.</param>
/// <param name="Issues">
/// Validation errors and warnings as <c>meshctl validate</c> reports them, less the "skipped" warning for the
/// Kubernetes objects the analysis reads.
/// </param>
/// <param name="FileCount">How many manifests were read.</param>
public sealed record ManifestAnalysis(AnalysisInput Input, IReadOnlyList<ValidationIssue> Issues, int FileCount)
{
    /// <summary>Whether any validation issue is an error (the analysis should not be trusted then).</summary>
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);

    /// <summary>Reads every manifest; never throws on bad content.</summary>
    /// <param name="manifests">Each manifest's source name (file or <c>-</c>) and text.</param>
    /// <param name="defaultNamespace">Namespace for documents that name none; <c>default</c> when null.</param>
    public static ManifestAnalysis Read(IEnumerable<(string Source, string Content)> manifests, string? defaultNamespace)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var issues = new List<ValidationIssue>();
        var resources = new List<LocatedResource>();
        var workloads = new KubernetesWorkloads();
        var files = 0;
        foreach (var (source, content) in manifests)
        {
            files++;
            var result = ManifestReader.Read(content, source, defaultNamespace);
            issues.AddRange(result.Issues);
            var items = Locate(content, defaultNamespace, workloads);
            // The second pass sees the same documents in the same order; if it ever disagrees, fields lose their lines, not their findings.
            var located = items.Count == result.Resources.Count;
            resources.AddRange(result.Resources.Select((r, i) => new LocatedResource { Resource = r, Source = source, Item = located ? items[i] : null }));
        }

        // The analysis uses Kubernetes Services and workloads, so "skipped" would be wrong about them.
        issues.RemoveAll(i => i.Severity == IssueSeverity.Warning && i.Path.Length == 0
            && i.Message.EndsWith("is not mesh configuration; skipped", StringComparison.Ordinal)
            && workloads.Consumed.Contains((i.Kind ?? "", i.Namespace ?? "", i.Name ?? "")));
        var input = new AnalysisInput { Resources = resources, Services = workloads.Services(), RegistryComplete = false };
        return new ManifestAnalysis(input, issues, files);
    }

    private static List<ManifestItem> Locate(string content, string? defaultNamespace, KubernetesWorkloads workloads)
    {
        var scratch = new List<ValidationIssue>();
        var items = new List<ManifestItem>();
        if (content.Length > ManifestReader.MaxManifestLength)
        {
            return items;
        }

        foreach (var document in YamlDocumentReader.Read(content, scratch))
        {
            foreach (var item in ManifestItems.Expand(document, scratch))
            {
                var node = (JsonObject)item.Node;
                if (EnvelopeReader.Read(node, defaultNamespace, new IssueSink()).Resource is not null)
                {
                    items.Add(item);
                }
                else
                {
                    workloads.Add(node, defaultNamespace ?? "default");
                }
            }
        }

        return items;
    }
}
