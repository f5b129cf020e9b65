using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// Freshly generated signing keys for one test issuer (RSA 2048, EC P-256 and P-384), their JWKS, and tokens signed
/// with them — or signed wrongly on purpose (<c>none</c>, HMAC with the public key as the secret).
/// </summary>
internal sealed class JwtTestKeys : IDisposable
{
    public const string Issuer = "https://issuer.test";

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa P256 { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public ECDsa P384 { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP384);

    /// <summary>The public keys: kids <c>rsa</c>, <c>ec256</c>, <c>ec384</c>.</summary>
    public string Jwks => JsonSerializer.Serialize(new { keys = new object[] { RsaJwk("rsa"), EcJwk(P256, "P-256", "ec256"), EcJwk(P384, "P-384", "ec384") } });

    /// <summary>The RSA public key's SubjectPublicKeyInfo: what an HS256 forger would use as the "secret".</summary>
    public byte[] RsaPublicKeyBytes => Rsa.ExportSubjectPublicKeyInfo();

    public Dictionary<string, object?> RsaJwk(string? kid)
    {
        var p = Rsa.ExportParameters(false);
        var jwk = new Dictionary<string, object?> { ["kty"] = "RSA", ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent) };
        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        return jwk;
    }

    public static Dictionary<string, object?> EcJwk(ECDsa key, string curve, string? kid)
    {
        var p = key.ExportParameters(false);
        var jwk = new Dictionary<string, object?> { ["kty"] = "EC", ["crv"] = curve, ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) };
        if (kid is not null)
        {
            jwk["kid"] = kid;
        }

        return jwk;
    }

    /// <summary>Claims of a token valid around <paramref name="now"/>: iss, sub alice, aud bookinfo, azp web, one hour left.</summary>
    public static Dictionary<string, object?> Claims(DateTimeOffset now, string issuer = Issuer) => new()
    {
        ["iss"] = issuer,
        ["sub"] = "alice",
        ["aud"] = "bookinfo",
        ["azp"] = "web",
        ["iat"] = now.ToUnixTimeSeconds(),
        ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
        ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        ["group"] = "reviewers",
    };

    /// <summary>Signs <paramref name="claims"/> with <paramref name="alg"/> using the matching key (<c>kid</c> as given; null omits it).</summary>
    public string Sign(string alg, IReadOnlyDictionary<string, object?> claims, string? kid)
    {
        var header = new Dictionary<string, object?> { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        var input = Segment(header) + "." + Segment(claims);
        var bytes = Encoding.ASCII.GetBytes(input);
        var signature = alg switch
        {
            "RS256" => Rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => Rsa.SignData(bytes, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" => P256.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "ES384" => P384.SignData(bytes, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "none" => [],
            "HS256" => HMACSHA256.HashData(RsaPublicKeyBytes, bytes),
            _ => throw new ArgumentException($"no test signer for {alg}", nameof(alg)),
        };
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public void Dispose()
    {
        Rsa.Dispose();
        P256.Dispose();
        P384.Dispose();
    }

    private static string Segment(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}
