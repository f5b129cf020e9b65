using System.Text.Json.Nodes;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Reading;

/// <summary>
/// Reads the two places Istio keeps mesh config into the mesh's single <c>MeshConfig</c> resource: an
/// <c>install.istio.io</c> IstioOperator's <c>spec.meshConfig</c>, and the <c>istio</c> ConfigMap's <c>data.mesh</c>
/// (a YAML string). Like Istio, a mesh has one mesh config: every form is stored as
/// <see cref="StoredNamespace"/>/<see cref="StoredName"/>, so a later one replaces the earlier (the newest wins).
/// </summary>
public static class MeshConfigReading
{
    /// <summary>Namespace the mesh config is stored in.</summary>
    public const string StoredNamespace = "istio-system";

    /// <summary>Name the mesh config is stored under (Istio's ConfigMap name).</summary>
    public const string StoredName = "istio";

    /// <summary>IstioOperator's apiVersion.</summary>
    public const string OperatorApiVersion = "install.istio.io/v1alpha1";

    /// <summary>
    /// The mesh-config resource of an IstioOperator or <c>istio</c> ConfigMap, with warnings for what is not applied;
    /// false when <paramref name="node"/> is neither (it is then read like any other object).
    /// </summary>
    internal static bool TryRead(JsonObject node, string apiVersion, string kindName, IssueSink issues, out MeshResource? resource, out string specPath)
    {
        resource = null;
        specPath = "spec";
        JsonNode? mesh;
        if (apiVersion == OperatorApiVersion && kindName == "IstioOperator")
        {
            var spec = node["spec"] as JsonObject;
            foreach (var (key, _) in spec ?? [])
            {
                if (key != "meshConfig")
                {
                    issues.Warning($"spec.{key}", $"IstioOperator field 'spec.{key}' is an installation setting this mesh does not apply; ignored", "keep only spec.meshConfig");
                }
            }

            mesh = spec?["meshConfig"];
            if (mesh is null)
            {
                issues.Warning("spec", "IstioOperator has no spec.meshConfig; nothing to apply, skipped");
                return true;
            }

            mesh = mesh.DeepClone();
            specPath = "spec.meshConfig";
            return Build(node, mesh, "spec.meshConfig", issues, out resource);
        }

        if (kindName == MeshKinds.MeshConfig.Kind && MeshKinds.MeshConfig.Serves(apiVersion))
        {
            var name = JsonNodes.AsString(node["metadata"]?["name"]);
            var ns = JsonNodes.AsString(node["metadata"]?["namespace"]);
            if (name != StoredName || (ns is not null && ns != StoredNamespace))
            {
                issues.Warning("metadata", $"a mesh has one mesh config; '{ns ?? StoredNamespace}/{name}' is stored as {StoredNamespace}/{StoredName}, replacing any earlier one", $"name it {StoredName} in namespace {StoredNamespace}");
            }

            return Build(node, node["spec"]?.DeepClone() ?? new JsonObject(), "spec", issues, out resource);
        }

        if (apiVersion != "v1" || kindName != "ConfigMap" || JsonNodes.AsString(node["metadata"]?["name"]) != StoredName || node["data"]?["mesh"] is not { } text)
        {
            return false;
        }

        foreach (var (key, _) in node["data"]!.AsObject())
        {
            if (key != "mesh")
            {
                issues.Warning($"data.{key}", $"ConfigMap key 'data.{key}' is not applied by this mesh; ignored", "keep only data.mesh");
            }
        }

        if (!JsonNodes.IsString(text))
        {
            issues.Error("data.mesh", $"data.mesh must be a string holding MeshConfig YAML but found {JsonNodes.Describe(text)}", "write mesh: |- followed by the indented MeshConfig");
            return true;
        }

        var parsed = new List<ValidationIssue>();
        var documents = YamlDocumentReader.Read(text.GetValue<string>(), parsed);
        foreach (var issue in parsed)
        {
            issues.Error("data.mesh", $"data.mesh (line {issue.Line}): {issue.Message}", issue.Fix);
        }

        if (parsed.Count > 0)
        {
            return true;
        }

        mesh = documents.Count == 0 ? new JsonObject() : documents[0].Root ?? new JsonObject();
        if (documents.Count > 1)
        {
            issues.Error("data.mesh", "data.mesh holds several YAML documents; MeshConfig is one", "remove the '---' separators");
            return true;
        }

        specPath = "data.mesh";
        return Build(node, mesh, "data.mesh", issues, out resource);
    }

    private static bool Build(JsonObject node, JsonNode mesh, string path, IssueSink issues, out MeshResource? resource)
    {
        resource = null;
        if (mesh is not JsonObject)
        {
            issues.Error(path, $"{path} must be a mapping of MeshConfig fields but found {JsonNodes.Describe(mesh)}");
            return true;
        }

        if (MetadataReader.Read(node["metadata"], StoredNamespace, issues) is not { } meta)
        {
            return true;
        }

        resource = new MeshResource
        {
            ApiVersion = MeshKinds.MeshConfig.PreferredApiVersion,
            Kind = MeshKinds.MeshConfig.Kind,
            Metadata = meta with { Name = StoredName, Namespace = StoredNamespace },
            Spec = JsonNodes.ToElement(mesh),
        };
        return true;
    }
}
