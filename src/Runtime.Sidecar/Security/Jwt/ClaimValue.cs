using System.Text.Json;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// The header value of a claim for <c>outputClaimToHeaders</c>: strings as they are, numbers and booleans as JSON
/// text, arrays of those joined with commas. A name not found at the top level is tried as a dotted path into
/// nested objects (<c>a.b</c>). Objects, and values with control characters, give no header.
/// </summary>
internal static class ClaimValue
{
    public static string? Find(JsonElement payload, string claim)
    {
        if (payload.TryGetProperty(claim, out var value))
        {
            return Format(value);
        }

        var current = payload;
        foreach (var part in claim.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return Format(current);
    }

    private static string? Format(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Array when value.EnumerateArray().All(IsScalar) => string.Join(",", value.EnumerateArray().Select(Format)),
            _ => null,
        };
        return text is null || text.Any(char.IsControl) ? null : text;
    }

    private static bool IsScalar(JsonElement value) =>
        value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;
}
