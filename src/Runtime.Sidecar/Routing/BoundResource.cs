using Runtime.Abstractions.Resources;

namespace Runtime.Sidecar.Routing;

/// <summary>A snapshot resource with its spec bound to the typed model.</summary>
/// <typeparam name="T">The spec type.</typeparam>
/// <param name="Resource">The resource as pushed.</param>
/// <param name="Spec">Its bound spec.</param>
internal sealed record BoundResource<T>(MeshResource Resource, T Spec)
{
    /// <summary>The resource's namespace.</summary>
    public string Namespace => Resource.Metadata.Namespace;

    /// <summary><c>namespace/name</c>.</summary>
    public string DisplayName => $"{Resource.Metadata.Namespace}/{Resource.Metadata.Name}";
}
