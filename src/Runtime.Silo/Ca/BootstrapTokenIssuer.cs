using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Runtime.Silo.Ca;

/// <summary>
/// Creates and verifies bootstrap tokens: <c>mesh1.&lt;payload&gt;.&lt;mac&gt;</c>, the payload base64url JSON
/// <c>{"td","ns","sa","exp","jti"}</c>, the MAC HMAC-SHA256 over <c>mesh1.&lt;payload&gt;</c> with a key kept in
/// the store. A token proves exactly one namespace/service account of one trust domain until it expires.
/// </summary>
internal sealed class BootstrapTokenIssuer(byte[] key, string trustDomain)
{
    private const string Prefix = "mesh1.";

    /// <summary>Creates a token for <paramref name="namespace"/>/<paramref name="serviceAccount"/> expiring at <paramref name="expiresAt"/>.</summary>
    public string Create(string @namespace, string serviceAccount, DateTimeOffset expiresAt)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["td"] = trustDomain,
            ["ns"] = @namespace,
            ["sa"] = serviceAccount,
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
            ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
        });
        var signed = Prefix + Base64Url.EncodeToString(payload);
        return signed + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, System.Text.Encoding.ASCII.GetBytes(signed)));
    }

    /// <summary>Verifies <paramref name="token"/> at <paramref name="now"/>; on failure returns null and says why.</summary>
    public BootstrapToken? Verify(string token, DateTimeOffset now, out string? problem)
    {
        problem = null;
        var dot = token.LastIndexOf('.');
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || dot <= Prefix.Length || token.Length > 4096)
        {
            problem = "the token is not a mesh bootstrap token (create one with meshctl token create)";
            return null;
        }

        var signed = token[..dot];
        var expected = HMACSHA256.HashData(key, System.Text.Encoding.ASCII.GetBytes(signed));
        byte[] mac;
        try
        {
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            problem = "the token's signature is not base64url";
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            problem = "the token's signature does not verify (made by another control plane, or altered)";
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(signed.AsSpan(Prefix.Length)));
            var root = json.RootElement;
            var td = root.GetProperty("td").GetString();
            var ns = root.GetProperty("ns").GetString()!;
            var sa = root.GetProperty("sa").GetString()!;
            var expiresAt = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("exp").GetInt64());
            if (!string.Equals(td, trustDomain, StringComparison.Ordinal))
            {
                problem = $"the token is for trust domain '{td}', not '{trustDomain}'";
                return null;
            }

            if (expiresAt <= now)
            {
                problem = $"the token expired at {expiresAt:u}";
                return null;
            }

            return new BootstrapToken(ns, sa, expiresAt);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            problem = "the token's payload is malformed";
            return null;
        }
    }
}
