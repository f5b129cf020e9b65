using System.Text.Json;
using System.Text.Json.Serialization;

namespace Runtime.Silo.Traffic;

/// <summary>Source-generated JSON for the graph API (camelCase, as the dashboard contract has it).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ServiceGraph))]
[JsonSerializable(typeof(GraphError))]
internal sealed partial class TrafficJsonContext : JsonSerializerContext;
