using System.Text.Json.Nodes;

namespace Runtime.Abstractions.Reading;

/// <summary>One YAML or JSON document as a JSON tree, with the 1-based line of every path in it.</summary>
/// <param name="Index">0-based position in the manifest.</param>
/// <param name="Root">The document; null for an empty document.</param>
/// <param name="Lines">Line of each path (<c>spec.http[0].route</c>); empty when positions are unknown.</param>
/// <param name="StartLine">Line the document starts on.</param>
internal sealed record ParsedDocument(int Index, JsonNode? Root, IReadOnlyDictionary<string, int> Lines, int StartLine);
