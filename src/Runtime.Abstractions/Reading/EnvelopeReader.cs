using System.Text.Json.Nodes;
using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Reading;

/// <summary>
/// Reads apiVersion, kind, metadata and spec of one item and decides whether it is mesh configuration.
/// Other Kubernetes objects (Deployments, Services...) are skipped with a warning: real manifests mix them in.
/// </summary>
internal static class EnvelopeReader
{
    private static readonly HashSet<string> MeshGroups = ["networking.istio.io", "security.istio.io", "telemetry.istio.io"];
    private static readonly HashSet<string> UnsupportedIstioKinds = ["Sidecar", "EnvoyFilter", "WorkloadEntry", "WorkloadGroup", "ProxyConfig", "WasmPlugin"];
    private static readonly HashSet<string> EnvelopeFields = ["apiVersion", "kind", "metadata", "spec", "status"];

    public static Envelope Read(JsonObject node, string? defaultNamespace, IssueSink issues)
    {
        var metadata = node["metadata"] as JsonObject;
        var name = JsonNodes.AsString(metadata?["name"]);
        var @namespace = JsonNodes.AsString(metadata?["namespace"]) ?? defaultNamespace ?? "default";
        var apiVersion = Field(node, "apiVersion", issues);
        var kindName = Field(node, "kind", issues);
        var envelope = new Envelope(kindName, @namespace, name, null);
        if (kindName is null || apiVersion is null)
        {
            return envelope;
        }

        // Mesh config (issue 6): an IstioOperator's meshConfig or the istio ConfigMap becomes the MeshConfig resource.
        if (MeshConfigReading.TryRead(node, apiVersion, kindName, issues, out var meshConfig, out var specPath))
        {
            return envelope with { Resource = meshConfig, SpecPath = specPath };
        }

        if (!MeshKinds.TryGet(apiVersion, kindName, out var kind))
        {
            Classify(apiVersion, kindName, name, issues);
            return envelope;
        }

        foreach (var (key, _) in node)
        {
            if (!EnvelopeFields.Contains(key))
            {
                issues.Warning(key, $"top-level field '{key}' is not part of a {kind.Kind} and is ignored", "move it under spec: or remove it");
            }
        }

        var meta = MetadataReader.Read(node["metadata"], @namespace, issues);
        var spec = node["spec"] ?? new JsonObject();
        if (spec is not JsonObject)
        {
            issues.Error("spec", $"spec must be a mapping but found {JsonNodes.Describe(spec)}");
            return envelope;
        }

        if (meta is null)
        {
            return envelope;
        }

        var resource = new MeshResource { ApiVersion = apiVersion, Kind = kind.Kind, Metadata = meta, Spec = JsonNodes.ToElement(spec) };
        return envelope with { Resource = resource };
    }

    private static string? Field(JsonObject node, string field, IssueSink issues)
    {
        var value = node[field];
        if (JsonNodes.IsString(value) && value!.GetValue<string>().Length > 0)
        {
            return value.GetValue<string>();
        }

        var message = value is null ? $"{field} is required" : $"{field} must be a non-empty string but found {JsonNodes.Describe(value)}";
        issues.Error(field, message, field == "kind" ? "add kind: VirtualService (or another mesh kind)" : "add apiVersion: networking.istio.io/v1 (or the kind's group/version)");
        return null;
    }

    private static void Classify(string apiVersion, string kindName, string? name, IssueSink issues)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? (MeshGroups.Contains(apiVersion) ? apiVersion : "") : apiVersion[..slash];
        var known = MeshKinds.All.FirstOrDefault(k => k.Kind == kindName);
        var isMeshGroup = MeshGroups.Contains(group);
        if (known is not null && (isMeshGroup || !group.Contains('.', StringComparison.Ordinal)))
        {
            var served = string.Join(", ", known.Versions.Select(v => $"{known.Group}/{v}"));
            issues.Error("apiVersion", $"apiVersion '{apiVersion}' is not served for {kindName}; served versions: {served}", $"use apiVersion: {known.PreferredApiVersion}");
            return;
        }

        if (isMeshGroup && UnsupportedIstioKinds.Contains(kindName))
        {
            issues.Warning("kind", $"{apiVersion} {kindName} {name} is not supported by this mesh; skipped");
            return;
        }

        var suggestion = Suggestions.Closest(kindName, MeshKinds.All.Select(k => k.Kind));
        if (isMeshGroup || (suggestion is not null && known is null))
        {
            var hint = suggestion is null ? "" : $"; did you mean '{suggestion}'?";
            var kinds = string.Join(", ", MeshKinds.All.Select(k => k.Kind));
            issues.Error("kind", $"unknown kind '{kindName}' for apiVersion '{apiVersion}'{hint}", suggestion is null ? $"use one of {kinds}" : $"kind: {suggestion}");
            return;
        }

        issues.Warning("", $"{apiVersion} {kindName} {name} is not mesh configuration; skipped");
    }
}
