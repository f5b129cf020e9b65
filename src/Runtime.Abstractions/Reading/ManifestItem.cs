using System.Text.Json.Nodes;

namespace Runtime.Abstractions.Reading;

/// <summary>One would-be resource inside a document: the document itself, an array element or a List item.</summary>
/// <param name="Document">The document it came from.</param>
/// <param name="Node">The item.</param>
/// <param name="Prefix">Path of the item inside the document (<c>items[2]</c>); empty for a whole document.</param>
internal sealed record ManifestItem(ParsedDocument Document, JsonNode Node, string Prefix)
{
    /// <summary>The line of a path inside the item, falling back to the nearest enclosing path.</summary>
    public int? LineOf(string path)
    {
        string? current = path;
        while (current is not null)
        {
            var full = Prefix.Length == 0 ? current : current.Length == 0 ? Prefix : current.StartsWith('[') ? Prefix + current : $"{Prefix}.{current}";
            if (Document.Lines.TryGetValue(full, out var line))
            {
                return line;
            }

            current = Binding.FieldPath.Parent(current);
        }

        return Document.Lines.Count == 0 ? null : Document.StartLine;
    }
}
