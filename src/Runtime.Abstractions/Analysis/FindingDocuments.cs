using System.Text.Json;
using System.Text.Json.Nodes;
using Runtime.Abstractions.Reading;

namespace Runtime.Abstractions.Analysis;

/// <summary>Findings as machine-readable documents, for <c>meshctl analyze -o json|yaml</c>.</summary>
public static class FindingDocuments
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A JSON array with one object per finding.</summary>
    /// <param name="findings">The findings.</param>
    public static string ToJson(IEnumerable<Finding> findings) => ToArray(findings).ToJsonString(Indented) + "\n";

    /// <summary>One YAML document holding a sequence with one mapping per finding.</summary>
    /// <param name="findings">The findings.</param>
    public static string ToYaml(IEnumerable<Finding> findings) => YamlEmitter.Emit([ToArray(findings)]);

    private static JsonArray ToArray(IEnumerable<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return [.. findings.Select(ToNode)];
    }

    private static JsonNode ToNode(Finding finding)
    {
        var node = new JsonObject
        {
            ["code"] = finding.Code,
            ["level"] = finding.Level.ToString(),
            ["kind"] = finding.Resource.Kind,
            ["namespace"] = finding.Resource.Namespace,
            ["name"] = finding.Resource.Name,
        };
        if (finding.Source is not null)
        {
            node["source"] = finding.Source;
        }

        if (finding.Line is int line)
        {
            node["line"] = line;
        }

        node["path"] = finding.Path;
        node["message"] = finding.Message;
        node["fix"] = finding.Fix;
        return node;
    }
}
