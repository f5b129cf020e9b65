namespace Runtime.Silo.Ca;

/// <summary>A bootstrap token (first certificate).</summary>
/// <param name="Token">The token text from <c>meshctl token create</c>.</param>
internal sealed record TokenProof(string Token) : IdentityProof;
