using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Cli.Manifests;

/// <summary>Reads manifests on the client for the commands that need to know what they name.</summary>
internal static class LocalManifests
{
    /// <summary>
    /// The resources a manifest names, for <c>delete -f</c>. Like kubectl, a delete needs only kind, namespace
    /// and name: errors in a spec do not stop it (that is often why the resource is being deleted), errors in
    /// the envelope do.
    /// </summary>
    public static IReadOnlyList<MeshResource> ReadKeys(IReadOnlyList<ManifestText> manifests, string? defaultNamespace)
    {
        var resources = new List<MeshResource>();
        var errors = new List<string>();
        foreach (var manifest in manifests)
        {
            var result = ManifestReader.Read(manifest.Content, manifest.Source, defaultNamespace);
            errors.AddRange(result.Issues.Where(i => i.Severity == IssueSeverity.Error && !IsSpecIssue(i)).Select(i => "error: " + i));
            resources.AddRange(result.Resources);
        }

        return errors.Count > 0 ? throw new CliException("the manifests do not say what to delete", errors) : resources;
    }

    /// <summary>
    /// kubectl's rule for <c>-n</c>: a document that names another namespace is an error, not silently kept.
    /// </summary>
    public static void RequireNamespace(IReadOnlyList<ManifestText> manifests, string @namespace)
    {
        var conflicts = manifests
            .SelectMany(m => ManifestReader.Read(m.Content, m.Source, @namespace).Resources.Select(r => (m.Source, Resource: r)))
            .Where(x => x.Resource.Metadata.Namespace != @namespace)
            .Select(x => $"error: {x.Source}: {x.Resource.Kind}/{x.Resource.Metadata.Name}: the namespace from the provided object \"{x.Resource.Metadata.Namespace}\" does not match the namespace \"{@namespace}\"; pass --namespace={x.Resource.Metadata.Namespace} or remove -n")
            .ToList();
        if (conflicts.Count > 0)
        {
            throw new CliException("namespace mismatch", conflicts);
        }
    }

    private static bool IsSpecIssue(ValidationIssue issue) =>
        issue.Path == "spec" || issue.Path.StartsWith("spec.", StringComparison.Ordinal) || issue.Path.StartsWith("spec[", StringComparison.Ordinal);
}
