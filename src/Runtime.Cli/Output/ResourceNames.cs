using Runtime.Abstractions.Resources;

namespace Runtime.Cli.Output;

/// <summary>kubectl's way of naming a resource: <c>virtualservice.networking.istio.io/reviews</c>.</summary>
internal static class ResourceNames
{
    public static string TypeName(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash > 0 ? apiVersion[..slash] : "";
        var lower = kind.ToLowerInvariant();
        return group.Length == 0 ? lower : $"{lower}.{group}";
    }

    public static string Qualified(MeshResource resource) => $"{TypeName(resource.ApiVersion, resource.Kind)}/{resource.Metadata.Name}";
}
