using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Runtime.Abstractions.Mesh;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// Formats an entry with a mesh config's Envoy format string (<see cref="AccessLogTemplate"/>) or JSON labels; a
/// missing value prints <c>-</c> (JSON: null) as in Envoy. Every line ends in exactly one <c>\n</c>.
/// </summary>
internal static class AccessLogTemplateLine
{
    /// <summary>Appends the line when <paramref name="output"/> has a template or labels; false when it has neither.</summary>
    public static bool TryAppend(StringBuilder output, AccessLogEntry entry, AccessLogOutput mesh)
    {
        if (mesh.Labels is { } labels)
        {
            AppendJson(output, entry, labels);
        }
        else if (mesh.Template is { } template)
        {
            var start = output.Length;
            Render(output, entry, template);
            // Envoy format strings usually end in \n; the line gets exactly one.
            while (output.Length > start && output[^1] is '\n' or '\r')
            {
                output.Length--;
            }
        }
        else
        {
            return false;
        }

        output.Append('\n');
        return true;
    }

    private static void AppendJson(StringBuilder output, AccessLogEntry entry, IReadOnlyDictionary<string, AccessLogTemplate> labels)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, template) in labels)
            {
                // A lone numeric operator is a JSON number, a lone missing value null, as Envoy's JSON format writes them.
                if (template.Segments is [{ Field: not AccessLogField.Literal } only] && Number(entry, only.Field) is long number)
                {
                    json.WriteNumber(key, number);
                    continue;
                }

                if (template.Segments is [{ Field: not AccessLogField.Literal } single] && Value(entry, single.Field) is null)
                {
                    json.WriteNull(key);
                    continue;
                }

                var text = new StringBuilder();
                Render(text, entry, template);
                json.WriteString(key, text.ToString());
            }

            json.WriteEndObject();
        }

        output.Append(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void Render(StringBuilder output, AccessLogEntry entry, AccessLogTemplate template)
    {
        foreach (var segment in template.Segments)
        {
            var value = segment.Field == AccessLogField.Literal ? segment.Text : Value(entry, segment.Field) ?? "-";
            if (segment.MaxLength is int max && value is not null && value.Length > max)
            {
                value = value[..max];
            }

            // Control characters from headers never split a line.
            foreach (var c in value ?? "")
            {
                output.Append(char.IsControl(c) && segment.Field != AccessLogField.Literal ? ' ' : c);
            }
        }
    }

    private static long? Number(AccessLogEntry entry, AccessLogField field) => field switch
    {
        AccessLogField.ResponseCode => entry.ResponseCode,
        AccessLogField.BytesReceived => entry.BytesReceived,
        AccessLogField.BytesSent => entry.BytesSent,
        AccessLogField.Duration => entry.DurationMs,
        _ => null,
    };

    private static string? Value(AccessLogEntry entry, AccessLogField field) => field switch
    {
        AccessLogField.StartTime => AccessLogLine.StartTime(entry),
        AccessLogField.Method => entry.Method,
        AccessLogField.Path => entry.Path,
        AccessLogField.Protocol => entry.Protocol,
        AccessLogField.ResponseFlags => entry.ResponseFlags,
        AccessLogField.UpstreamHost => entry.UpstreamHost,
        AccessLogField.Authority => entry.Authority,
        AccessLogField.ForwardedFor => entry.ForwardedFor,
        AccessLogField.UserAgent => entry.UserAgent,
        AccessLogField.RequestId => entry.RequestId,
        AccessLogField.DownstreamPeer => entry.SourceIdentity,
        AccessLogField.UpstreamPeer => entry.DestinationIdentity,
        _ => Number(entry, field)?.ToString(CultureInfo.InvariantCulture),
    };
}
