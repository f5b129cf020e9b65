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
    /// <param name="outlier">When given, each endpoint gains <c>outlier</c> (this proxy's detector) and <c>meshOutlier</c> (all reporting proxies).</param>
    public static string ToJson(ProxySnapshot snapshot, MeshOutlierHealth? outlier = null) => ToNode(snapshot, outlier).ToJsonString(Indented);

    /// <summary>One YAML document.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="outlier">When given, each endpoint gains <c>outlier</c> and <c>meshOutlier</c>, as in <see cref="ToJson"/>.</param>
    public static string ToYaml(ProxySnapshot snapshot, MeshOutlierHealth? outlier = null) => YamlEmitter.Emit([ToNode(snapshot, outlier)]);

    private static JsonObject ToNode(ProxySnapshot snapshot, MeshOutlierHealth? outlier)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new JsonObject
        {
            ["proxyId"] = snapshot.ProxyId,
            ["version"] = snapshot.Version,
            ["revision"] = snapshot.Revision,
            ["created"] = Timestamp(snapshot.Created),
            ["services"] = new JsonArray([.. snapshot.Services.Select(s => ServiceNode(s, snapshot.ProxyId, outlier))]),
            // Written through ManifestWriter so a resource reads the same here as in meshctl get -o json.
            ["resources"] = new JsonArray([.. snapshot.Resources.Select(r => JsonNode.Parse(ManifestWriter.ToJson([r])))]),
        };
    }

    private static JsonObject ServiceNode(MeshService service, string proxyId, MeshOutlierHealth? outlier) => new()
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
        }.WithOutlier(service.Host, e, proxyId, outlier))]),
    };

    private static JsonObject WithOutlier(this JsonObject node, string host, MeshEndpoint endpoint, string proxyId, MeshOutlierHealth? outlier)
    {
        if (outlier is null)
        {
            return node;
        }

        var health = outlier.Find(host, endpoint.Address, endpoint.Port);
        node["outlier"] = health?.ReportOf(proxyId) is { } own
            ? new JsonObject
            {
                ["ejected"] = own.Ejected,
                ["ejectionCount"] = own.EjectionCount,
                ["ejectedUntil"] = own.EjectedUntil is { } until ? Timestamp(until) : null,
                ["reason"] = own.Reason,
            }
            : null;
        node["meshOutlier"] = new JsonObject
        {
            ["ejectedBy"] = health?.EjectedBy ?? 0,
            ["reportingProxies"] = outlier.ReportingProxies,
            ["maxEjectionCount"] = health?.MaxEjectionCount ?? 0,
            ["lastReason"] = health?.LastReason,
        };
        return node;
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);
}
