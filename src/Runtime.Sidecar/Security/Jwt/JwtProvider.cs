namespace Runtime.Sidecar.Security.Jwt;

/// <summary>
/// One compiled <c>jwtRules</c> entry: the issuer it accepts, its audiences, where its keys come from, where its
/// tokens are looked for and what a verified token adds to the forwarded request. Immutable.
/// </summary>
internal sealed record JwtProvider
{
    /// <summary>The exact <c>iss</c> tokens must carry.</summary>
    public required string Issuer { get; init; }

    /// <summary>Accepted <c>aud</c> values; empty means the audience is not checked (Istio).</summary>
    public required IReadOnlySet<string> Audiences { get; init; }

    /// <summary>Inline keys (<c>jwks</c>), or null when the keys come from <see cref="RemoteKeys"/>.</summary>
    public IReadOnlyList<JwtVerificationKey>? InlineKeys { get; init; }

    /// <summary>The fetched keys (<c>jwksUri</c>), or null for inline keys.</summary>
    public JwksSource? RemoteKeys { get; init; }

    /// <summary>How long the first fetch of <see cref="RemoteKeys"/> may take.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public required IReadOnlyList<TokenLocation> Locations { get; init; }

    /// <summary>Keep the token on the forwarded request (<c>forwardOriginalToken</c>); default false.</summary>
    public bool ForwardOriginalToken { get; init; }

    /// <summary>Header receiving the token's payload (base64url), or null.</summary>
    public string? PayloadHeader { get; init; }

    /// <summary>(header, claim) pairs copied on success.</summary>
    public IReadOnlyList<(string Header, string Claim)> ClaimHeaders { get; init; } = [];

    /// <summary>The keys to verify with now; null when remote keys were never fetched (then nothing verifies).</summary>
    public Task<IReadOnlyList<JwtVerificationKey>?> KeysAsync() =>
        RemoteKeys is { } remote ? remote.GetKeysAsync(FetchTimeout) : Task.FromResult(InlineKeys);
}
