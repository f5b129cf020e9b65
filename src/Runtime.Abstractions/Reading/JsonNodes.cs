using System.Text.Json;
using System.Text.Json.Nodes;

namespace Runtime.Abstractions.Reading;

/// <summary>Small typed reads from a JSON tree that report, instead of throw, on wrong types.</summary>
internal static class JsonNodes
{
    public static bool IsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String;

    public static string? AsString(JsonNode? node) => IsString(node) ? node!.GetValue<string>() : null;

    public static JsonElement ToElement(JsonNode node)
    {
        using var document = JsonDocument.Parse(node.ToJsonString());
        return document.RootElement.Clone();
    }

    /// <summary>The value as written, for messages: strings quoted, other values as JSON.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        _ => node.ToJsonString(),
    };
}
