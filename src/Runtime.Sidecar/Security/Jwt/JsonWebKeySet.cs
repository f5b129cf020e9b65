using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// Parses a JSON Web Key Set (RFC 7517) into verification keys. Keeps RSA (2048 bits or more) and EC P-256/384/521
/// signing keys; skips symmetric (<c>oct</c>) keys, encryption keys (<c>use: enc</c>) and unknown types.
/// </summary>
internal static class JsonWebKeySet
{
    private const int MinimumRsaBits = 2048;

    /// <summary>The usable keys of <paramref name="json"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static IReadOnlyList<JwtVerificationKey> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the JWKS is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("the JWKS has no \"keys\" array");
            }

            var parsed = new List<JwtVerificationKey>();
            var index = 0;
            foreach (var key in keys.EnumerateArray())
            {
                if (ParseKey(key, index++) is { } usable)
                {
                    parsed.Add(usable);
                }
            }

            return parsed;
        }
    }

    private static JwtVerificationKey? ParseKey(JsonElement key, int index)
    {
        if (key.ValueKind != JsonValueKind.Object || Text(key, "use") is { } use && use != "sig")
        {
            return null;
        }

        var kid = Text(key, "kid");
        var alg = Text(key, "alg");
        switch (Text(key, "kty"))
        {
            case "RSA":
                var modulus = Bytes(key, "n", index);
                var exponent = Bytes(key, "e", index);
                if (modulus.Length * 8 < MinimumRsaBits)
                {
                    return null;
                }

                var rsa = RSA.Create();
                try
                {
                    rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent });
                }
                catch (CryptographicException ex)
                {
                    rsa.Dispose();
                    throw new FormatException($"keys[{index}]: not a usable RSA public key: {ex.Message}", ex);
                }

                return new JwtVerificationKey(kid, alg, rsa, null, null);
            case "EC":
                var curveName = Text(key, "crv");
                ECCurve? curve = curveName switch
                {
                    "P-256" => ECCurve.NamedCurves.nistP256,
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    _ => null,
                };
                if (curve is null)
                {
                    return null;
                }

                var ecdsa = ECDsa.Create();
                try
                {
                    ecdsa.ImportParameters(new ECParameters { Curve = curve.Value, Q = new ECPoint { X = Bytes(key, "x", index), Y = Bytes(key, "y", index) } });
                }
                catch (CryptographicException ex)
                {
                    ecdsa.Dispose();
                    throw new FormatException($"keys[{index}]: the EC point is not on curve {curveName}: {ex.Message}", ex);
                }

                return new JwtVerificationKey(kid, alg, null, ecdsa, curveName);
            default:
                return null;
        }
    }

    private static string? Text(JsonElement key, string name) =>
        key.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Bytes(JsonElement key, string name, int index)
    {
        var text = Text(key, name);
        if (string.IsNullOrEmpty(text) || !Base64Url.IsValid(text))
        {
            throw new FormatException($"keys[{index}].{name} is missing or not base64url");
        }

        var bytes = Base64Url.DecodeFromChars(text);
        // Leading zero octets are not part of the big-endian integer.
        var start = 0;
        while (start < bytes.Length - 1 && bytes[start] == 0 && name is "n" or "e")
        {
            start++;
        }

        return start == 0 ? bytes : bytes[start..];
    }
}
