namespace Runtime.Abstractions.Resources;

/// <summary>Identifies a stored resource: its kind (for example <c>VirtualService</c>), namespace and name.</summary>
/// <param name="Kind">The canonical kind name, as in the <c>kind:</c> field.</param>
/// <param name="Namespace">The namespace the resource lives in.</param>
/// <param name="Name">The resource name (<c>metadata.name</c>).</param>
public sealed record ResourceKey(string Kind, string Namespace, string Name)
{
    /// <summary>Formats as <c>Kind/namespace/name</c>.</summary>
    public override string ToString() => $"{Kind}/{Namespace}/{Name}";
}
