using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runtime.Abstractions.Reading;

namespace Runtime.Abstractions.Resources;

/// <summary>Writes resources back as Kubernetes-style manifests that <see cref="ManifestReader"/> reads to equal specs.</summary>
public static class ManifestWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Multi-document YAML, documents separated by <c>---</c>.</summary>
    /// <param name="resources">The resources, written in order.</param>
    public static string ToYaml(IEnumerable<MeshResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        return YamlEmitter.Emit(resources.Select(ToNode));
    }

    /// <summary>JSON: a single object for one resource, otherwise a Kubernetes <c>List</c>.</summary>
    /// <param name="resources">The resources, written in order.</param>
    public static string ToJson(IEnumerable<MeshResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var nodes = resources.Select(ToNode).ToList();
        JsonNode root = nodes.Count == 1
            ? nodes[0]
            : new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = new JsonArray([.. nodes]) };
        return root.ToJsonString(Indented);
    }

    private static JsonObject ToNode(MeshResource resource)
    {
        var meta = resource.Metadata;
        var metadata = new JsonObject { ["name"] = meta.Name, ["namespace"] = meta.Namespace };
        if (meta.Labels.Count > 0)
        {
            metadata["labels"] = Map(meta.Labels);
        }

        if (meta.Annotations.Count > 0)
        {
            metadata["annotations"] = Map(meta.Annotations);
        }

        if (meta.ResourceVersion != 0)
        {
            metadata["resourceVersion"] = meta.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        }

        if (meta.Generation != 0)
        {
            metadata["generation"] = meta.Generation;
        }

        if (meta.CreationTimestamp is DateTimeOffset created)
        {
            metadata["creationTimestamp"] = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);
        }

        if (meta.Uid is not null)
        {
            metadata["uid"] = meta.Uid;
        }

        var spec = resource.Spec.ValueKind == JsonValueKind.Undefined ? new JsonObject() : JsonNode.Parse(resource.Spec.GetRawText());
        return new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind, ["metadata"] = metadata, ["spec"] = spec };
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map) =>
        new(map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
}
