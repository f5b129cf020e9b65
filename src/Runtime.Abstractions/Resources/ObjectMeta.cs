namespace Runtime.Abstractions.Resources;

/// <summary>The <c>metadata</c> of a resource, Kubernetes-style.</summary>
public sealed record ObjectMeta
{
    /// <summary>The resource name; required.</summary>
    public required string Name { get; init; }

    /// <summary>The namespace; <c>default</c> when the manifest names none.</summary>
    public string Namespace { get; init; } = "default";

    /// <summary>Labels used by label selectors.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = EmptyMap;

    /// <summary>Free-form annotations.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = EmptyMap;

    /// <summary>Store revision of the last change; 0 for a resource that was never stored.</summary>
    public long ResourceVersion { get; init; }

    /// <summary>Incremented each time the spec changes; 0 for a resource that was never stored.</summary>
    public long Generation { get; init; }

    /// <summary>When the resource was first stored.</summary>
    public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>When the resource was last changed.</summary>
    public DateTimeOffset? UpdateTimestamp { get; init; }

    /// <summary>Unique id given by the store at creation.</summary>
    public string? Uid { get; init; }

    private static readonly IReadOnlyDictionary<string, string> EmptyMap = new Dictionary<string, string>();
}
