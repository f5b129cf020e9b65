namespace Runtime.Abstractions.Mesh;

/// <summary>
/// A parsed Envoy access-log format string (MeshConfig <c>accessLogFormat</c>, an <c>envoyFileAccessLog</c>
/// provider's <c>logFormat.text</c>). Supported operators: <c>%START_TIME%</c>, <c>%PROTOCOL%</c>,
/// <c>%RESPONSE_CODE%</c>, <c>%RESPONSE_FLAGS%</c>, <c>%BYTES_RECEIVED%</c>, <c>%BYTES_SENT%</c>, <c>%DURATION%</c>,
/// <c>%UPSTREAM_HOST%</c>, <c>%DOWNSTREAM_PEER_URI_SAN%</c>, <c>%UPSTREAM_PEER_URI_SAN%</c>, and <c>%REQ(h)%</c> for
/// <c>:METHOD</c>, <c>:PATH</c> (also <c>X-ENVOY-ORIGINAL-PATH?:PATH</c>), <c>:AUTHORITY</c>, <c>X-FORWARDED-FOR</c>,
/// <c>USER-AGENT</c> and <c>X-REQUEST-ID</c>; <c>%%</c> is a literal percent sign. A <c>:N</c> length limit after
/// <c>%REQ(...)</c> is accepted and applied. A missing value prints <c>-</c>, as in Envoy.
/// </summary>
public sealed class AccessLogTemplate
{
    private static readonly Dictionary<string, AccessLogField> Plain = new(StringComparer.Ordinal)
    {
        ["START_TIME"] = AccessLogField.StartTime, ["PROTOCOL"] = AccessLogField.Protocol,
        ["RESPONSE_CODE"] = AccessLogField.ResponseCode, ["RESPONSE_FLAGS"] = AccessLogField.ResponseFlags,
        ["BYTES_RECEIVED"] = AccessLogField.BytesReceived, ["BYTES_SENT"] = AccessLogField.BytesSent,
        ["DURATION"] = AccessLogField.Duration, ["UPSTREAM_HOST"] = AccessLogField.UpstreamHost,
        ["DOWNSTREAM_PEER_URI_SAN"] = AccessLogField.DownstreamPeer, ["UPSTREAM_PEER_URI_SAN"] = AccessLogField.UpstreamPeer,
    };

    private static readonly Dictionary<string, AccessLogField> Headers = new(StringComparer.OrdinalIgnoreCase)
    {
        [":METHOD"] = AccessLogField.Method, [":PATH"] = AccessLogField.Path, ["X-ENVOY-ORIGINAL-PATH?:PATH"] = AccessLogField.Path,
        [":AUTHORITY"] = AccessLogField.Authority, ["X-FORWARDED-FOR"] = AccessLogField.ForwardedFor,
        ["USER-AGENT"] = AccessLogField.UserAgent, ["X-REQUEST-ID"] = AccessLogField.RequestId,
    };

    private AccessLogTemplate(IReadOnlyList<AccessLogSegment> segments) => Segments = segments;

    /// <summary>The pieces of a line, in order.</summary>
    public IReadOnlyList<AccessLogSegment> Segments { get; }

    /// <summary>Parses <paramref name="format"/>; on failure <paramref name="error"/> names the operator that is not supported.</summary>
    public static AccessLogTemplate? Parse(string format, out string? error)
    {
        ArgumentNullException.ThrowIfNull(format);
        var segments = new List<AccessLogSegment>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            if (format[i] != '%')
            {
                literal.Append(format[i++]);
                continue;
            }

            if (i + 1 < format.Length && format[i + 1] == '%')
            {
                literal.Append('%');
                i += 2;
                continue;
            }

            var end = format.IndexOf('%', i + 1);
            if (end < 0)
            {
                error = $"unterminated operator '{format[i..]}' (operators are written %NAME%; a literal percent is %%)";
                return null;
            }

            var token = format[(i + 1)..end];
            if (Operator(token) is not { } segment)
            {
                error = $"operator '%{token}%' is not supported";
                return null;
            }

            if (literal.Length > 0)
            {
                segments.Add(new AccessLogSegment(AccessLogField.Literal, literal.ToString(), null));
                literal.Clear();
            }

            segments.Add(segment);
            i = end + 1;
        }

        if (literal.Length > 0)
        {
            segments.Add(new AccessLogSegment(AccessLogField.Literal, literal.ToString(), null));
        }

        error = null;
        return new AccessLogTemplate(segments);
    }

    /// <summary>
    /// Parses the JSON form Istio uses with <c>accessLogEncoding: JSON</c>: an object whose values are format strings
    /// (<c>{"code": "%RESPONSE_CODE%"}</c>); on failure <paramref name="error"/> says why.
    /// </summary>
    public static IReadOnlyDictionary<string, AccessLogTemplate>? ParseLabels(string json, out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        Dictionary<string, string>? pairs;
        try
        {
            pairs = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (System.Text.Json.JsonException)
        {
            pairs = null;
        }

        if (pairs is null)
        {
            error = "with JSON encoding the format must be a JSON object of string values, e.g. {\"code\": \"%RESPONSE_CODE%\"}";
            return null;
        }

        return ParseLabels(pairs, out error);
    }

    /// <summary>Parses each value of <paramref name="labels"/>; on failure <paramref name="error"/> names the key and operator.</summary>
    public static IReadOnlyDictionary<string, AccessLogTemplate>? ParseLabels(IReadOnlyDictionary<string, string> labels, out string? error)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var parsed = new Dictionary<string, AccessLogTemplate>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (Parse(value, out var inner) is not { } template)
            {
                error = $"'{key}': {inner}";
                return null;
            }

            parsed[key] = template;
        }

        error = null;
        return parsed;
    }

    private static AccessLogSegment? Operator(string token)
    {
        if (Plain.TryGetValue(token, out var field))
        {
            return new AccessLogSegment(field, null, null);
        }

        if (!token.StartsWith("REQ(", StringComparison.Ordinal))
        {
            return null;
        }

        var close = token.IndexOf(')', StringComparison.Ordinal);
        if (close < 0 || !Headers.TryGetValue(token[4..close], out field))
        {
            return null;
        }

        var rest = token[(close + 1)..];
        if (rest.Length == 0)
        {
            return new AccessLogSegment(field, null, null);
        }

        return rest[0] == ':' && int.TryParse(rest[1..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var max) && max > 0
            ? new AccessLogSegment(field, null, max)
            : null;
    }
}
