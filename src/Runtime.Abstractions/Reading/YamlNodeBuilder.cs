using System.Text.Json.Nodes;
using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Validation;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Runtime.Abstractions.Reading;

/// <summary>
/// Turns the parser events of one YAML document into a JSON tree, recording the line of every path.
/// Bounded: nesting depth and node count (including alias expansion) are capped so hostile input stays cheap.
/// </summary>
internal sealed class YamlNodeBuilder(IParser parser, IssueSink issues)
{
    public const int MaxDepth = 64;
    public const int MaxNodes = 200_000;

    private readonly Dictionary<string, (JsonNode? Node, int Size)> _anchors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private int _nodes;

    public IReadOnlyDictionary<string, int> Lines => _lines;

    public JsonNode? ReadNode(string path, int depth)
    {
        var start = parser.Current!;
        _lines.TryAdd(path, (int)start.Start.Line);
        if (++_nodes > MaxNodes)
        {
            throw new YamlLimitException($"document has more than {MaxNodes} nodes", (int)start.Start.Line);
        }

        if (depth > MaxDepth)
        {
            throw new YamlLimitException($"document nests deeper than {MaxDepth} levels", (int)start.Start.Line);
        }

        var before = _nodes;
        JsonNode? node = start switch
        {
            Scalar scalar => ReadScalar(scalar, path),
            SequenceStart => ReadSequence(path, depth),
            MappingStart => ReadMapping(path, depth),
            AnchorAlias alias => ReadAlias(alias, path),
            _ => throw new YamlLimitException($"unexpected YAML event {start.GetType().Name}", (int)start.Start.Line),
        };

        if (start is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            _anchors[anchored.Anchor.Value] = (node, _nodes - before + 1);
        }

        return node;
    }

    private JsonNode? ReadScalar(Scalar scalar, string path)
    {
        parser.MoveNext();
        var value = ScalarResolver.Resolve(scalar, out var error);
        if (error is not null)
        {
            issues.Error(path, error, "quote the value to keep it as a string");
        }

        return value;
    }

    private JsonArray ReadSequence(string path, int depth)
    {
        parser.MoveNext();
        var array = new JsonArray();
        while (!parser.TryConsume<SequenceEnd>(out _))
        {
            array.Add(ReadNode(FieldPath.Index(path, array.Count), depth + 1));
        }

        return array;
    }

    private JsonObject ReadMapping(string path, int depth)
    {
        parser.MoveNext();
        var map = new JsonObject();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            if (parser.Current is not Scalar key)
            {
                issues.Error(path, "only plain text keys are supported in mappings", "use a simple key such as name:");
                ReadNode(path + "[?]", depth + 1);
                ReadNode(path + "[?]", depth + 1);
                continue;
            }

            var keyPath = FieldPath.Field(path, key.Value);
            var line = (int)key.Start.Line;
            parser.MoveNext();
            if (map.ContainsKey(key.Value))
            {
                issues.Error(keyPath, $"duplicate key '{key.Value}' (line {line}); the first value is kept", "remove one of the duplicate keys");
                ReadNode(keyPath + "#dup", depth + 1);
                continue;
            }

            _lines[keyPath] = line;
            map[key.Value] = ReadNode(keyPath, depth + 1);
        }

        return map;
    }

    private JsonNode? ReadAlias(AnchorAlias alias, string path)
    {
        parser.MoveNext();
        if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
        {
            issues.Error(path, $"alias *{alias.Value.Value} refers to an anchor that is not defined before it", "define &name before using *name");
            return null;
        }

        // Count the copy before making it, so alias bombs are stopped before they cost memory.
        _nodes += anchored.Size;
        if (_nodes > MaxNodes)
        {
            throw new YamlLimitException($"alias expansion exceeds {MaxNodes} nodes", (int)alias.Start.Line);
        }

        return anchored.Node?.DeepClone();
    }
}
