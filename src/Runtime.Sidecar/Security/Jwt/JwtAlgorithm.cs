using System.Security.Cryptography;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// A JWS signature algorithm the sidecar accepts, with the key type it needs. Only public-key algorithms: keys come
/// from a public JWKS, so <c>HS*</c> (which would turn a public key into a shared secret) and <c>none</c> are refused.
/// </summary>
internal sealed class JwtAlgorithm
{
    private static readonly Dictionary<string, JwtAlgorithm> ByName = new(StringComparer.Ordinal)
    {
        ["RS256"] = new("RS256", HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, null),
        ["RS384"] = new("RS384", HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1, null),
        ["RS512"] = new("RS512", HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1, null),
        ["PS256"] = new("PS256", HashAlgorithmName.SHA256, RSASignaturePadding.Pss, null),
        ["PS384"] = new("PS384", HashAlgorithmName.SHA384, RSASignaturePadding.Pss, null),
        ["PS512"] = new("PS512", HashAlgorithmName.SHA512, RSASignaturePadding.Pss, null),
        ["ES256"] = new("ES256", HashAlgorithmName.SHA256, null, "P-256"),
        ["ES384"] = new("ES384", HashAlgorithmName.SHA384, null, "P-384"),
        ["ES512"] = new("ES512", HashAlgorithmName.SHA512, null, "P-521"),
    };

    private JwtAlgorithm(string name, HashAlgorithmName hash, RSASignaturePadding? rsaPadding, string? curve)
    {
        Name = name;
        Hash = hash;
        RsaPadding = rsaPadding;
        Curve = curve;
    }

    /// <summary>The JWS name, e.g. <c>RS256</c>.</summary>
    public string Name { get; }

    public HashAlgorithmName Hash { get; }

    /// <summary>The RSA padding for RS*/PS*; null for ES*.</summary>
    public RSASignaturePadding? RsaPadding { get; }

    /// <summary>The JWK curve name ES* requires; null for RSA algorithms.</summary>
    public string? Curve { get; }

    /// <summary>The algorithm named <paramref name="name"/> in a token header, or null when it is not accepted.</summary>
    public static JwtAlgorithm? Find(string? name) => name is not null && ByName.TryGetValue(name, out var found) ? found : null;

    /// <summary>Whether <paramref name="key"/> verifies <paramref name="signature"/> over <paramref name="signingInput"/> under this algorithm.
    /// A key of the wrong type or curve never verifies (no algorithm confusion).</summary>
    public bool Verify(JwtVerificationKey key, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        if (key.Algorithm is { } pinned && pinned != Name)
        {
            return false;
        }

        try
        {
            if (RsaPadding is not null)
            {
                return key.Rsa is { } rsa && rsa.VerifyData(signingInput, signature, Hash, RsaPadding);
            }

            // JWS carries ECDSA signatures as fixed-size r||s (IEEE P1363), never DER.
            return key.EcDsa is { } ecdsa && key.Curve == Curve
                && ecdsa.VerifyData(signingInput, signature, Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
