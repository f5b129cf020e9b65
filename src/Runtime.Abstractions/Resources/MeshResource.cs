using System.Text.Json;

namespace Runtime.Abstractions.Resources;

/// <summary>
/// A mesh resource as stored and exchanged: the Kubernetes-style envelope plus the spec exactly as the
/// user wrote it (as JSON). The typed view of the spec is obtained by binding <see cref="Spec"/> to the
/// kind's model type.
/// </summary>
public sealed record MeshResource
{
    /// <summary>For example <c>networking.istio.io/v1beta1</c>.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>The canonical kind, for example <c>VirtualService</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Name, namespace, labels and store bookkeeping.</summary>
    public required ObjectMeta Metadata { get; init; }

    /// <summary>The spec as the user wrote it; an empty object when the manifest had none.</summary>
    public required JsonElement Spec { get; init; }

    /// <summary>The key this resource is stored under.</summary>
    public ResourceKey Key => new(Kind, Metadata.Namespace, Metadata.Name);
}
