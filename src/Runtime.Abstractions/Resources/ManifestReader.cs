using System.Text.Json.Nodes;
using Runtime.Abstractions.Reading;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Resources;

/// <summary>Reads Istio-style manifests (multi-document YAML or JSON) into validated mesh resources.</summary>
public static class ManifestReader
{
    /// <summary>Larger manifests are refused outright rather than parsed.</summary>
    public const int MaxManifestLength = 16 * 1024 * 1024;

    /// <summary>
    /// Parses multi-document YAML (<c>---</c> separated) or JSON (an object, an array of objects or a Kubernetes
    /// <c>List</c>), resolves kinds, binds and validates every document, and reports every issue. Never throws.
    /// </summary>
    /// <param name="content">The manifest text.</param>
    /// <param name="source">File name or <c>-</c>, copied into each issue.</param>
    /// <param name="defaultNamespace">Namespace for resources that name none; <c>default</c> when null.</param>
    public static ManifestReadResult Read(string content, string source, string? defaultNamespace = null)
    {
        var issues = new List<ValidationIssue>();
        var resources = new List<MeshResource>();
        if ((content?.Length ?? 0) > MaxManifestLength)
        {
            issues.Add(new ValidationIssue { Message = $"manifest is larger than {MaxManifestLength} characters", Fix = "split it into several files", Source = source });
            return new ManifestReadResult(resources, issues);
        }

        foreach (var document in YamlDocumentReader.Read(content ?? "", issues))
        {
            foreach (var item in ManifestItems.Expand(document, issues))
            {
                var sink = new IssueSink();
                var envelope = EnvelopeReader.Read((JsonObject)item.Node, defaultNamespace, sink);
                if (envelope.Resource is MeshResource resource)
                {
                    resources.Add(resource);
                    sink.AddRange(ResourceValidator.Validate(resource).Select(issue => InDocument(issue, envelope.SpecPath)));
                }

                issues.AddRange(sink.Issues.Select(issue => Locate(issue, item, envelope)));
            }
        }

        return new ManifestReadResult(resources, [.. issues.Select(i => i with { Source = source })]);
    }

    /// <summary>Validates an already-built resource (for example one received over gRPC) like <see cref="Read"/> does.</summary>
    /// <param name="resource">The resource to check.</param>
    public static IReadOnlyList<ValidationIssue> Validate(MeshResource resource) => ResourceValidator.Validate(resource);

    /// <summary>Mesh config (issue 6): a spec issue's path as written in the document, e.g. <c>spec.meshConfig.x</c>.</summary>
    private static ValidationIssue InDocument(ValidationIssue issue, string specPath) =>
        specPath == "spec" || !(issue.Path == "spec" || issue.Path.StartsWith("spec.", StringComparison.Ordinal) || issue.Path.StartsWith("spec[", StringComparison.Ordinal))
            ? issue
            : issue with { Path = specPath + issue.Path["spec".Length..] };

    private static ValidationIssue Locate(ValidationIssue issue, ManifestItem item, Envelope envelope) => issue with
    {
        Kind = issue.Kind ?? envelope.KindName,
        Namespace = issue.Namespace ?? envelope.Namespace,
        Name = issue.Name ?? envelope.Name,
        Line = issue.Line ?? item.LineOf(issue.Path),
        Document = item.Document.Index,
    };
}
