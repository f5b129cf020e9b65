using Runtime.Abstractions.Resources;
using Runtime.Cli.Api;

namespace Runtime.Cli.Output;

/// <summary>Prints resources as a table (one per kind), YAML, JSON or bare names.</summary>
internal static class ResourcePrinter
{
    public static readonly string[] Formats = ["table", "wide", "yaml", "json", "name"];

    /// <summary>Prints in <paramref name="format"/>; with <paramref name="applied"/> counts, routing kinds' tables get an APPLIED column.</summary>
    public static void Print(
        TextWriter output, IReadOnlyList<MeshResource> resources, string format, bool withNamespace, DateTimeOffset now,
        IReadOnlyDictionary<ResourceKey, AppliedCount>? applied = null)
    {
        switch (format)
        {
            case "yaml":
                output.Write(ManifestWriter.ToYaml(resources));
                break;
            case "json":
                output.WriteLine(ManifestWriter.ToJson(resources));
                break;
            case "name":
                foreach (var resource in resources)
                {
                    output.WriteLine(ResourceNames.Qualified(resource));
                }

                break;
            default:
                PrintTables(output, resources, withNamespace, now, applied);
                break;
        }
    }

    private static void PrintTables(
        TextWriter output, IReadOnlyList<MeshResource> resources, bool withNamespace, DateTimeOffset now, IReadOnlyDictionary<ResourceKey, AppliedCount>? applied)
    {
        var groups = resources.GroupBy(r => r.Kind, StringComparer.Ordinal).ToList();
        var qualified = groups.Count > 1;
        for (var i = 0; i < groups.Count; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }

            var withApplied = applied is not null && ResourceColumns.IsRouting(groups[i].Key);
            var rows = groups[i].Select(r => ResourceColumns.Row(
                r, withNamespace, qualified, now, withApplied ? applied!.GetValueOrDefault(r.Key)?.ToString() ?? "-" : null)).ToList();
            TextTable.Write(output, ResourceColumns.Headers(groups[i].Key, withNamespace, withApplied), rows);
        }
    }
}
