using System.Text.Json;
using System.Text.Json.Nodes;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Reading;

/// <summary>Expands documents into items: JSON arrays and Kubernetes <c>List</c> objects hold several resources.</summary>
internal static class ManifestItems
{
    public static IEnumerable<ManifestItem> Expand(ParsedDocument document, List<ValidationIssue> issues)
    {
        switch (document.Root)
        {
            case null:
                yield break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Item(document, array[i], $"[{i}]", issues) is ManifestItem item)
                    {
                        yield return item;
                    }
                }

                yield break;
            case JsonObject list when IsList(list):
                var items = (JsonArray)list["items"]!;
                for (var i = 0; i < items.Count; i++)
                {
                    if (Item(document, items[i], $"items[{i}]", issues) is ManifestItem item)
                    {
                        yield return item;
                    }
                }

                yield break;
            default:
                if (Item(document, document.Root, "", issues) is ManifestItem single)
                {
                    yield return single;
                }

                yield break;
        }
    }

    private static bool IsList(JsonObject node) =>
        node["kind"] is JsonValue kind && kind.GetValueKind() == JsonValueKind.String && kind.GetValue<string>() == "List"
        && node["items"] is JsonArray;

    private static ManifestItem? Item(ParsedDocument document, JsonNode? node, string prefix, List<ValidationIssue> issues)
    {
        if (node is JsonObject)
        {
            return new ManifestItem(document, node, prefix);
        }

        var line = document.Lines.TryGetValue(prefix, out var l) ? l : document.StartLine;
        issues.Add(new ValidationIssue
        {
            Path = prefix,
            Message = node is null ? "empty item where a resource was expected" : "expected a resource (a mapping with apiVersion, kind, metadata and spec)",
            Fix = "write each resource as a mapping starting with apiVersion: and kind:",
            Line = line,
            Document = document.Index,
        });
        return null;
    }
}
