using Runtime.Abstractions.Resources;

namespace Runtime.Cli.Output;

/// <summary>Prints resources as a table (one per kind), YAML, JSON or bare names.</summary>
internal static class ResourcePrinter
{
    public static readonly string[] Formats = ["table", "wide", "yaml", "json", "name"];

    public static void Print(TextWriter output, IReadOnlyList<MeshResource> resources, string format, bool withNamespace, DateTimeOffset now)
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
                PrintTables(output, resources, withNamespace, now);
                break;
        }
    }

    private static void PrintTables(TextWriter output, IReadOnlyList<MeshResource> resources, bool withNamespace, DateTimeOffset now)
    {
        var groups = resources.GroupBy(r => r.Kind, StringComparer.Ordinal).ToList();
        var qualified = groups.Count > 1;
        for (var i = 0; i < groups.Count; i++)
        {
            if (i > 0)
            {
                output.WriteLine();
            }

            var rows = groups[i].Select(r => ResourceColumns.Row(r, withNamespace, qualified, now)).ToList();
            TextTable.Write(output, ResourceColumns.Headers(groups[i].Key, withNamespace), rows);
        }
    }
}
