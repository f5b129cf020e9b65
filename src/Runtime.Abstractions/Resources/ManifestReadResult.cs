using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Resources;

/// <summary>What <see cref="ManifestReader.Read"/> found: the resources it could read and every issue in every document.</summary>
/// <param name="Resources">Each document that could be read as a mesh resource, in manifest order.</param>
/// <param name="Issues">All errors and warnings, in manifest order.</param>
public sealed record ManifestReadResult(IReadOnlyList<MeshResource> Resources, IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>Whether any issue is an error; warnings alone do not reject a manifest.</summary>
    public bool HasErrors { get; } = Issues.Any(i => i.Severity == IssueSeverity.Error);
}
