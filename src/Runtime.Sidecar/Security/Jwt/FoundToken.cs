namespace Runtime.Sidecar.Security.Jwt;

/// <summary>A token as found in a request, with where it was found.</summary>
/// <param name="Token">The token text (prefix removed, trimmed).</param>
/// <param name="Location">The header or query parameter that carried it.</param>
internal sealed record FoundToken(string Token, TokenLocation Location);
