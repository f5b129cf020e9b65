using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Runtime.Abstractions.Reading;
using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Discovery;

/// <summary>Writes a <see cref="ProxySnapshot"/> as JSON or YAML for people (meshctl proxy-config -o json|yaml).</summary>
public static class SnapshotWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Indented JSON; resources appear as the manifests <see cref="ManifestWriter"/> writes.</summary>
    /// <param name="snapshot">The snapshot.</param>
    public static string ToJson(ProxySnapshot snapshot) => ToNode(snapshot).ToJsonString(Indented);

    /// <summary>One YAML document.</summary>
    /// <param name="snapshot">The snapshot.</param>
    public static string ToYaml(ProxySnapshot snapshot) => YamlEmitter.Emit([ToNode(snapshot)]);

    private static JsonObject ToNode(ProxySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new JsonObject
        {
            ["proxyId"] = snapshot.ProxyId,
            ["version"] = snapshot.Version,
            ["revision"] = snapshot.Revision,
            ["created"] = snapshot.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture),
            ["services"] = new JsonArray([.. snapshot.Services.Select(ServiceNode)]),
            // Written through ManifestWriter so a resource reads the same here as in meshctl get -o json.
            ["resources"] = new JsonArray([.. snapshot.Resources.Select(r => JsonNode.Parse(ManifestWriter.ToJson([r])))]),
        };
    }

    private static JsonObject ServiceNode(MeshService service) => new()
    {
        ["name"] = service.Name,
        ["namespace"] = service.Namespace,
        ["host"] = service.Host,
        ["ports"] = new JsonArray([.. service.Ports.Select(p => (JsonNode)p)]),
        ["endpoints"] = new JsonArray([.. service.Endpoints.Select(e => (JsonNode)new JsonObject
        {
            ["address"] = e.Address,
            ["port"] = e.Port,
            ["health"] = e.Health.ToString().ToUpperInvariant(),
            ["labels"] = new JsonObject(e.Labels.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["proxyId"] = e.ProxyId,
            ["serviceAccount"] = e.ServiceAccount,
            ["instance"] = e.Instance,
        })]),
    };
}
