namespace Runtime.Abstractions.Security;

/// <summary>A header carrying a token.</summary>
public sealed record JwtHeader
{
    /// <summary>Header name.</summary>
    public string? Name { get; init; }

    /// <summary>Prefix before the token, for example <c>Bearer </c>.</summary>
    public string? Prefix { get; init; }
}
