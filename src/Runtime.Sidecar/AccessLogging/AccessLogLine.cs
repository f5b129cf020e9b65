using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Runtime.Abstractions.Mesh;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// Formats one <see cref="AccessLogEntry"/> as a complete line (ending in <c>\n</c>). Text is Envoy's default format
/// (<c>[START_TIME] "METHOD PATH PROTOCOL" CODE FLAGS BYTES_RECEIVED BYTES_SENT DURATION UPSTREAM_SERVICE_TIME
/// "X-FORWARDED-FOR" "USER-AGENT" "X-REQUEST-ID" "AUTHORITY" "UPSTREAM_HOST"</c>) followed by
/// <c>"MESH_REASON" SOURCE DESTINATION</c>; a missing value is <c>-</c>, as in Envoy.
/// </summary>
internal static class AccessLogLine
{
    private const char Missing = '-';

    /// <summary>Appends the line for <paramref name="entry"/> in <paramref name="format"/> to <paramref name="output"/>.</summary>
    public static void Append(StringBuilder output, AccessLogEntry entry, AccessLogFormat format)
    {
        // Mesh config (issue 6): a format string or JSON labels, or only an encoding over the default line.
        if (entry.Output is { } mesh && AccessLogTemplateLine.TryAppend(output, entry, mesh))
        {
            return;
        }

        format = entry.Output?.Encoding switch
        {
            AccessLogEncoding.Json => AccessLogFormat.Json,
            AccessLogEncoding.Text => AccessLogFormat.Text,
            _ => format,
        };
        if (format == AccessLogFormat.Json)
        {
            AppendJson(output, entry);
        }
        else
        {
            AppendText(output, entry);
        }

        output.Append('\n');
    }

    private static void AppendText(StringBuilder output, AccessLogEntry entry)
    {
        var inv = CultureInfo.InvariantCulture;
        output.Append('[').Append(StartTime(entry)).Append("] \"")
            .Append(entry.Method).Append(' ').Append(entry.Path).Append(' ').Append(entry.Protocol).Append("\" ")
            .Append(entry.ResponseCode.ToString(inv)).Append(' ').Append(entry.ResponseFlags).Append(' ')
            .Append(entry.BytesReceived.ToString(inv)).Append(' ').Append(entry.BytesSent.ToString(inv)).Append(' ')
            .Append(entry.DurationMs.ToString(inv)).Append(' ').Append(Missing).Append(' ');
        Quoted(output, entry.ForwardedFor).Append(' ');
        Quoted(output, entry.UserAgent).Append(' ');
        Quoted(output, entry.RequestId).Append(' ');
        Quoted(output, entry.Authority).Append(' ');
        Quoted(output, entry.UpstreamHost).Append(' ');
        Quoted(output, MeshReasonText.Of(entry.ResponseFlags)).Append(' ')
            .Append(entry.SourceIdentity ?? "-").Append(' ').Append(entry.DestinationIdentity ?? "-");
    }

    private static StringBuilder Quoted(StringBuilder output, string? value) => (value is null ? output.Append('"').Append(Missing) : output.Append('"').Append(value)).Append('"');

    private static void AppendJson(StringBuilder output, AccessLogEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("start_time", StartTime(entry));
            json.WriteString("direction", entry.Outbound ? "outbound" : "inbound");
            json.WriteString("method", entry.Method);
            json.WriteString("path", entry.Path);
            json.WriteString("protocol", entry.Protocol);
            json.WriteNumber("response_code", entry.ResponseCode);
            json.WriteString("response_flags", entry.ResponseFlags);
            OptionalString(json, "mesh_reason", MeshReasonText.Of(entry.ResponseFlags));
            json.WriteNumber("bytes_received", entry.BytesReceived);
            json.WriteNumber("bytes_sent", entry.BytesSent);
            json.WriteNumber("duration", entry.DurationMs);
            OptionalString(json, "upstream_host", entry.UpstreamHost);
            OptionalString(json, "x_forwarded_for", entry.ForwardedFor);
            OptionalString(json, "user_agent", entry.UserAgent);
            OptionalString(json, "request_id", entry.RequestId);
            OptionalString(json, "authority", entry.Authority);
            OptionalString(json, "source_identity", entry.SourceIdentity);
            OptionalString(json, "destination_identity", entry.DestinationIdentity);
            json.WriteEndObject();
        }

        // The writer escapes control characters, so the object is always one line.
        output.Append(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void OptionalString(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The entry's start time as every format prints it: UTC, milliseconds.</summary>
    internal static string StartTime(AccessLogEntry entry) => entry.StartTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
