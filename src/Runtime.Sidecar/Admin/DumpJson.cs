using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runtime.Sidecar.Admin;

/// <summary>JSON settings for admin dumps: camelCase, enums as names, indented.</summary>
internal static class DumpJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };
}
