using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Analysis;

/// <summary>A resource with its typed spec, as the checks see it.</summary>
/// <typeparam name="TSpec">The spec record, for example <c>VirtualServiceSpec</c>.</typeparam>
/// <param name="Located">The resource and its position.</param>
/// <param name="Spec">The bound spec.</param>
internal sealed record AnalyzedResource<TSpec>(LocatedResource Located, TSpec Spec)
{
    public string Namespace => Located.Resource.Metadata.Namespace;

    public string Name => Located.Resource.Metadata.Name;

    public ResourceKey Key => Located.Resource.Key;

    /// <summary><c>namespace/name</c>, the way findings name other resources.</summary>
    public string DisplayName => $"{Namespace}/{Name}";
}
