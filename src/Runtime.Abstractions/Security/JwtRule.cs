using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Security;

/// <summary>How tokens of one issuer are validated.</summary>
public sealed record JwtRule
{
    /// <summary>Expected <c>iss</c> claim.</summary>
    public string? Issuer { get; init; }

    /// <summary>Accepted <c>aud</c> values.</summary>
    public IReadOnlyList<string>? Audiences { get; init; }

    /// <summary>URL of the issuer's public keys.</summary>
    public string? JwksUri { get; init; }

    /// <summary>The public keys inline.</summary>
    public string? Jwks { get; init; }

    /// <summary>Headers the token may be in.</summary>
    public IReadOnlyList<JwtHeader>? FromHeaders { get; init; }

    /// <summary>Query parameters the token may be in.</summary>
    public IReadOnlyList<string>? FromParams { get; init; }

    /// <summary>Cookies the token may be in.</summary>
    public IReadOnlyList<string>? FromCookies { get; init; }

    /// <summary>Header receiving the verified payload.</summary>
    public string? OutputPayloadToHeader { get; init; }

    /// <summary>Claims copied into headers.</summary>
    public IReadOnlyList<ClaimToHeader>? OutputClaimToHeaders { get; init; }

    /// <summary>Keeps the token on the forwarded request.</summary>
    public bool? ForwardOriginalToken { get; init; }

    /// <summary>Timeout fetching the JWKS.</summary>
    public MeshDuration? Timeout { get; init; }
}
