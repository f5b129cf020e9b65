using Runtime.Abstractions.Reading;
using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Analysis;

/// <summary>A resource to analyze and, when it was read from a file, where each of its fields is.</summary>
public sealed record LocatedResource
{
    /// <summary>The resource.</summary>
    public required MeshResource Resource { get; init; }

    /// <summary>The file it was read from (<c>-</c> for standard input); null for resources from the control plane.</summary>
    public string? Source { get; init; }

    /// <summary>The document it came from, for field lines; null when positions are unknown.</summary>
    internal ManifestItem? Item { get; init; }

    /// <summary>The 1-based line of <paramref name="path"/> (or of its nearest enclosing field), when known.</summary>
    /// <param name="path">A field path such as <c>spec.http[0].route</c>.</param>
    public int? LineOf(string path) => Item?.LineOf(path);
}
