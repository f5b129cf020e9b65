using System.Buffers;
using System.Text;
using System.Text.Json;
using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Store;

/// <summary>
/// The JSON forms the store writes: label/annotation maps (keys sorted, so equal maps store equal text)
/// and whole resources for the change log. Timestamps are Unix milliseconds.
/// </summary>
internal static class ResourceJson
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public static string WriteMap(IReadOnlyDictionary<string, string> map)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteMap(writer, map);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyDictionary<string, string> ReadMap(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ReadMap(document.RootElement);
    }

    public static string SpecText(JsonElement spec) =>
        spec.ValueKind == JsonValueKind.Undefined ? "{}" : spec.GetRawText();

    public static JsonElement ParseSpec(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static bool MapsEqual(IReadOnlyDictionary<string, string> left, IReadOnlyDictionary<string, string> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public static string WriteResource(MeshResource resource)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var meta = resource.Metadata;
            writer.WriteStartObject();
            writer.WriteString("apiVersion", resource.ApiVersion);
            writer.WriteString("kind", resource.Kind);
            writer.WriteStartObject("metadata");
            writer.WriteString("name", meta.Name);
            writer.WriteString("namespace", meta.Namespace);
            writer.WritePropertyName("labels");
            WriteMap(writer, meta.Labels);
            writer.WritePropertyName("annotations");
            WriteMap(writer, meta.Annotations);
            writer.WriteNumber("resourceVersion", meta.ResourceVersion);
            writer.WriteNumber("generation", meta.Generation);
            writer.WriteString("uid", meta.Uid);
            WriteTimestamp(writer, "creationTimestamp", meta.CreationTimestamp);
            WriteTimestamp(writer, "updateTimestamp", meta.UpdateTimestamp);
            writer.WriteEndObject();
            writer.WritePropertyName("spec");
            if (resource.Spec.ValueKind == JsonValueKind.Undefined)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                resource.Spec.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static MeshResource ReadResource(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var meta = root.GetProperty("metadata");
        return new MeshResource
        {
            ApiVersion = root.GetProperty("apiVersion").GetString()!,
            Kind = root.GetProperty("kind").GetString()!,
            Spec = root.GetProperty("spec").Clone(),
            Metadata = new ObjectMeta
            {
                Name = meta.GetProperty("name").GetString()!,
                Namespace = meta.GetProperty("namespace").GetString()!,
                Labels = ReadMap(meta.GetProperty("labels")),
                Annotations = ReadMap(meta.GetProperty("annotations")),
                ResourceVersion = meta.GetProperty("resourceVersion").GetInt64(),
                Generation = meta.GetProperty("generation").GetInt64(),
                Uid = meta.GetProperty("uid").GetString(),
                CreationTimestamp = ReadTimestamp(meta, "creationTimestamp"),
                UpdateTimestamp = ReadTimestamp(meta, "updateTimestamp"),
            },
        };
    }

    public static DateTimeOffset FromUnixMilliseconds(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    private static void WriteMap(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            writer.WriteString(key, map[key]);
        }

        writer.WriteEndObject();
    }

    private static IReadOnlyDictionary<string, string> ReadMap(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Empty;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = property.Value.GetString() ?? "";
        }

        return map.Count == 0 ? Empty : map;
    }

    private static void WriteTimestamp(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v.ToUnixTimeMilliseconds());
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement meta, string name) =>
        meta.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? FromUnixMilliseconds(value.GetInt64())
            : null;
}
