using System.Security.Cryptography;

namespace Runtime.Sidecar.Security.Jwt;

/// <summary>One public key of a JWKS: an RSA key or an EC key on a named curve. Immutable; shared by requests.</summary>
/// <param name="KeyId">The JWK's <c>kid</c>, or null.</param>
/// <param name="Algorithm">The JWK's <c>alg</c> when it pins one, or null.</param>
/// <param name="Rsa">The RSA public key, for RS*/PS*.</param>
/// <param name="EcDsa">The EC public key, for ES*.</param>
/// <param name="Curve">The EC key's JWK curve name (<c>P-256</c>, <c>P-384</c>, <c>P-521</c>).</param>
internal sealed record JwtVerificationKey(string? KeyId, string? Algorithm, RSA? Rsa, ECDsa? EcDsa, string? Curve);
