using System.Text.Json;
using System.Text.Json.Nodes;
using Runtime.Abstractions.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Runtime.Abstractions.Reading;

/// <summary>Splits a manifest into documents; YAML (multi-document) or JSON. Never throws.</summary>
internal static class YamlDocumentReader
{
    public static IReadOnlyList<ParsedDocument> Read(string content, List<ValidationIssue> issues)
    {
        var documents = new List<ParsedDocument>();
        var syntaxIssues = new List<ValidationIssue>();
        var complete = ReadYaml(content, documents, syntaxIssues);
        if (!complete && LooksLikeJson(content) && TryReadJson(content, out var json))
        {
            // YAML is a superset of most JSON, but not all of it (tabs, some escapes): fall back to a JSON parser.
            documents.Clear();
            documents.Add(json);
            return documents;
        }

        issues.AddRange(syntaxIssues);
        return documents;
    }

    private static bool ReadYaml(string content, List<ParsedDocument> documents, List<ValidationIssue> issues)
    {
        var parser = new Parser(new StringReader(content));
        var index = 0;
        try
        {
            parser.Consume<StreamStart>();
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                var start = parser.Consume<DocumentStart>();
                var sink = new IssueSink();
                var builder = new YamlNodeBuilder(parser, sink);
                JsonNode? root = null;
                try
                {
                    root = builder.ReadNode("", 0);
                }
                catch (YamlLimitException limit)
                {
                    sink.Error("", limit.Message, "split the document or remove anchors and aliases");
                    issues.AddRange(sink.Issues.Select(i => i with { Line = limit.Line, Document = index }));
                    SkipToDocumentEnd(parser);
                    parser.Consume<DocumentEnd>();
                    index++;
                    continue;
                }

                parser.Consume<DocumentEnd>();
                var lines = builder.Lines;
                issues.AddRange(sink.Issues.Select(i => i with { Line = LineOf(lines, i.Path), Document = index, Path = Clean(i.Path) }));
                documents.Add(new ParsedDocument(index++, root, lines, (int)start.Start.Line));
            }

            return true;
        }
        catch (YamlException syntax)
        {
            issues.Add(SyntaxIssue(content, syntax, index));
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException or IndexOutOfRangeException)
        {
            // The YAML scanner has a few internal failure modes on malformed input; report them like syntax errors.
            issues.Add(new ValidationIssue { Message = $"YAML could not be parsed: {ex.Message}", Fix = "check indentation, colons and quotes", Document = index });
            return false;
        }
    }

    private static ValidationIssue SyntaxIssue(string content, YamlException syntax, int index)
    {
        // Some scanner errors start at the enclosing mapping; the end mark points at the offending character.
        var line = (int)Math.Max(syntax.Start.Line, syntax.End.Line);
        var column = syntax.End.Line > syntax.Start.Line ? syntax.End.Column : syntax.Start.Column;
        var lines = content.Split('\n');
        if (syntax.Message.Contains("tab", StringComparison.Ordinal))
        {
            // The scanner marks the mapping that contains the tab; point at the first tab-indented line after it instead.
            var tabbed = Array.FindIndex(lines, line - 1, l => l.TrimEnd().Length > 0 && l[..(l.Length - l.TrimStart().Length)].Contains('\t', StringComparison.Ordinal));
            (line, column) = tabbed >= 0 ? (tabbed + 1, 1) : (line, column);
        }

        var text = lines.ElementAtOrDefault(line - 1) ?? "";
        var fix = text.Contains('\t', StringComparison.Ordinal) || syntax.Message.Contains("tab", StringComparison.Ordinal) ? "indent with spaces; YAML does not allow tabs" : "check indentation, colons and quotes near this line";
        return new ValidationIssue
        {
            Message = $"YAML syntax error at line {line}, column {column}: {syntax.Message}",
            Fix = fix,
            Line = line,
            Document = index,
        };
    }

    private static void SkipToDocumentEnd(Parser parser)
    {
        while (parser.Current is not DocumentEnd && parser.MoveNext())
        {
        }
    }

    private static int? LineOf(IReadOnlyDictionary<string, int> lines, string path) =>
        lines.TryGetValue(path, out var line) ? line : null;

    // Duplicate-key subtrees are read under a marker path so their lines do not overwrite the kept value's.
    private static string Clean(string path) => path.Replace("#dup", "", StringComparison.Ordinal);

    private static bool LooksLikeJson(string content) => content.TrimStart() is ['{' or '[', ..];

    private static bool TryReadJson(string content, out ParsedDocument document)
    {
        document = null!;
        try
        {
            var root = JsonNode.Parse(content, documentOptions: new JsonDocumentOptions { MaxDepth = YamlNodeBuilder.MaxDepth });
            // JsonNode materialises lazily; walking it now surfaces duplicate keys here rather than later.
            _ = root?.ToJsonString();
            document = new ParsedDocument(0, root, new Dictionary<string, int>(), 1);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
