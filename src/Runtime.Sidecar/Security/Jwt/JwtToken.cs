using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// A compact-serialized JWS split and decoded, not yet verified: header fields, claims, the signing input and the
/// signature. Duplicate JSON members are refused, so no claim can mean two things to two readers.
/// </summary>
internal sealed class JwtToken
{
    /// <summary>Tokens longer than this are refused before any decoding.</summary>
    public const int MaxLength = 16 * 1024;

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    private JwtToken(string algorithm, string? keyId, JsonElement payload, string payloadSegment, byte[] signingInput, byte[] signature)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        Payload = payload;
        PayloadSegment = payloadSegment;
        SigningInput = signingInput;
        Signature = signature;
    }

    /// <summary>The header's <c>alg</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The header's <c>kid</c>, or null.</summary>
    public string? KeyId { get; }

    /// <summary>The claims (a JSON object, detached from any buffer).</summary>
    public JsonElement Payload { get; }

    /// <summary>The payload exactly as it appeared in the token (base64url).</summary>
    public string PayloadSegment { get; }

    /// <summary>ASCII of <c>header.payload</c>: what the signature covers.</summary>
    public byte[] SigningInput { get; }

    public byte[] Signature { get; }

    /// <summary>The <c>iss</c> claim, or null when absent or not a string.</summary>
    public string? Issuer => Text("iss");

    /// <summary>Splits and decodes <paramref name="text"/>; on failure <paramref name="error"/> says why (Envoy's wording where it has one).</summary>
    public static bool TryParse(string text, out JwtToken? token, out string? error)
    {
        token = null;
        if (text.Length > MaxLength)
        {
            error = "Jwt is too long";
            return false;
        }

        var parts = text.Split('.');
        if (parts.Length != 3 || parts.Any(p => !Base64Url.IsValid(p)) || parts[0].Length == 0 || parts[1].Length == 0)
        {
            error = "Jwt is not in the form of Header.Payload.Signature";
            return false;
        }

        if (!TryObject(parts[0], out var header) || !TryObject(parts[1], out var payload))
        {
            error = "Jwt header or payload is not a JSON object";
            return false;
        }

        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            error = "Jwt header [alg] field is required and must be a string";
            return false;
        }

        // No critical extension is understood, so a token that declares one must be refused (RFC 7515 4.1.11).
        if (header.TryGetProperty("crit", out _))
        {
            error = "Jwt header [crit] names extensions that are not supported";
            return false;
        }

        string? kid = null;
        if (header.TryGetProperty("kid", out var kidValue))
        {
            if (kidValue.ValueKind != JsonValueKind.String)
            {
                error = "Jwt header [kid] field is not a string";
                return false;
            }

            kid = kidValue.GetString();
        }

        token = new JwtToken(alg.GetString()!, kid, payload, parts[1], Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]));
        error = null;
        return true;
    }

    /// <summary>A string claim, or null when absent or of another type.</summary>
    public string? Text(string claim) =>
        Payload.TryGetProperty(claim, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryObject(string segment, out JsonElement element)
    {
        element = default;
        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(segment), Strict);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            element = document.RootElement.Clone();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
