using System.Text.Json;
using Runtime.Abstractions.Resources;

namespace Runtime.Cli.Output;

/// <summary>
/// The extra columns <c>meshctl get</c> shows per kind, read straight from the spec, and for the routing kinds the
/// APPLIED column: proxies that ACKed the resource at its current version / proxies that should hold it.
/// </summary>
internal static class ResourceColumns
{
    /// <summary>The kinds the control plane pushes to sidecars, which therefore have an APPLIED count.</summary>
    public static bool IsRouting(string kind) => kind is "VirtualService" or "DestinationRule" or "ServiceEntry";

    public static IReadOnlyList<(string Header, Func<JsonElement, string> Value)> For(string kind) => kind switch
    {
        "VirtualService" => [("GATEWAYS", s => List(s, "gateways")), ("HOSTS", s => List(s, "hosts"))],
        "DestinationRule" => [("HOST", s => Text(s, "host"))],
        "Gateway" => [("SERVERS", s => Count(s, "servers"))],
        "ServiceEntry" => [("HOSTS", s => List(s, "hosts")), ("LOCATION", s => Text(s, "location")), ("RESOLUTION", s => Text(s, "resolution"))],
        "PeerAuthentication" => [("MODE", s => s.TryGetProperty("mtls", out var m) ? Text(m, "mode") : "")],
        "AuthorizationPolicy" => [("ACTION", s => Text(s, "action") is { Length: > 0 } a ? a : "ALLOW")],
        "RequestAuthentication" => [("ISSUERS", s => Issuers(s))],
        _ => [],
    };

    /// <summary>The cells of one table row; <paramref name="applied"/> is the APPLIED cell, null when the table has none.</summary>
    public static IReadOnlyList<string> Row(MeshResource resource, bool withNamespace, bool qualifiedName, DateTimeOffset now, string? applied = null)
    {
        var cells = new List<string>();
        if (withNamespace)
        {
            cells.Add(resource.Metadata.Namespace);
        }

        cells.Add(qualifiedName ? ResourceNames.Qualified(resource) : resource.Metadata.Name);
        cells.AddRange(For(resource.Kind).Select(c => c.Value(resource.Spec)));
        if (applied is not null)
        {
            cells.Add(applied);
        }

        cells.Add(AgeText.Format(resource.Metadata.CreationTimestamp, now));
        return cells;
    }

    public static IReadOnlyList<string> Headers(string kind, bool withNamespace, bool withApplied = false)
    {
        var headers = new List<string>();
        if (withNamespace)
        {
            headers.Add("NAMESPACE");
        }

        headers.Add("NAME");
        headers.AddRange(For(kind).Select(c => c.Header));
        if (withApplied)
        {
            headers.Add("APPLIED");
        }

        headers.Add("AGE");
        return headers;
    }

    private static string Text(JsonElement spec, string field) =>
        spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : "";

    private static string List(JsonElement spec, string field) =>
        spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Array
            ? "[" + string.Join(",", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())) + "]"
            : "";

    private static string Count(JsonElement spec, string field) =>
        spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "0";

    private static string Issuers(JsonElement spec) =>
        spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("jwtRules", out var rules) && rules.ValueKind == JsonValueKind.Array
            ? string.Join(",", rules.EnumerateArray().Select(r => Text(r, "issuer")))
            : "";
}
