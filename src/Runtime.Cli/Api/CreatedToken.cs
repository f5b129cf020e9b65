namespace Runtime.Cli.Api;

/// <summary>A bootstrap token and when it expires.</summary>
/// <param name="Token">The token text, secret.</param>
/// <param name="ExpiresAt">When the CA stops accepting it.</param>
internal sealed record CreatedToken(string Token, DateTimeOffset ExpiresAt);
