using System.Globalization;
using System.Text.Json.Nodes;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Reading;

/// <summary>Reads <c>metadata</c> into <see cref="ObjectMeta"/>; format rules for names live in validation.</summary>
internal static class MetadataReader
{
    public static ObjectMeta? Read(JsonNode? node, string @namespace, IssueSink issues)
    {
        if (node is not JsonObject metadata)
        {
            issues.Error(node is null ? "metadata.name" : "metadata", node is null ? "metadata.name is required" : "metadata must be a mapping", "add metadata: with name: my-resource");
            return null;
        }

        var meta = new ObjectMeta { Name = "", Namespace = @namespace };
        string? name = null;
        foreach (var (key, value) in metadata)
        {
            var path = $"metadata.{key}";
            switch (key)
            {
                case "name": name = Text(value, path, issues); break;
                case "namespace": meta = meta with { Namespace = Text(value, path, issues) ?? @namespace }; break;
                case "labels": meta = meta with { Labels = Map(value, path, issues) }; break;
                case "annotations": meta = meta with { Annotations = Map(value, path, issues) }; break;
                case "resourceVersion": meta = meta with { ResourceVersion = Number(value, path, issues) }; break;
                case "generation": meta = meta with { Generation = Number(value, path, issues) }; break;
                case "uid": meta = meta with { Uid = Text(value, path, issues) }; break;
                case "creationTimestamp": meta = meta with { CreationTimestamp = Timestamp(value, path, issues) }; break;
                default:
                    issues.Warning(path, $"metadata field '{key}' is not used by the mesh and is ignored");
                    break;
            }
        }

        if (string.IsNullOrEmpty(name))
        {
            issues.Error("metadata.name", "metadata.name is required", "add name: my-resource under metadata");
            return null;
        }

        return meta with { Name = name };
    }

    private static string? Text(JsonNode? value, string path, IssueSink issues)
    {
        if (value is null || JsonNodes.IsString(value))
        {
            return JsonNodes.AsString(value);
        }

        var raw = JsonNodes.Describe(value);
        issues.Error(path, $"expected a string but found {raw}", value is JsonValue ? $"quote the value: \"{raw}\"" : null);
        return null;
    }

    private static Dictionary<string, string> Map(JsonNode? value, string path, IssueSink issues)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is null)
        {
            return map;
        }

        if (value is not JsonObject entries)
        {
            issues.Error(path, $"expected a mapping but found {JsonNodes.Describe(value)}");
            return map;
        }

        foreach (var (key, entry) in entries)
        {
            if (Text(entry, Binding.FieldPath.Field(path, key), issues) is string text)
            {
                map[key] = text;
            }
        }

        return map;
    }

    private static long Number(JsonNode? value, string path, IssueSink issues)
    {
        // Kubernetes writes resourceVersion as a string of digits; accept both that and a plain number.
        var text = value is JsonValue v ? (JsonNodes.IsString(v) ? v.GetValue<string>() : v.ToJsonString()) : null;
        if (text is not null && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        issues.Error(path, $"expected a non-negative whole number but found {JsonNodes.Describe(value)}", "write digits only, for example \"42\"");
        return 0;
    }

    private static DateTimeOffset? Timestamp(JsonNode? value, string path, IssueSink issues)
    {
        var text = Text(value, path, issues);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp))
        {
            return timestamp;
        }

        issues.Error(path, $"'{text}' is not an RFC 3339 timestamp", "write it like 2024-01-31T12:00:00Z");
        return null;
    }
}
