namespace Runtime.Abstractions.Security;

/// <summary>Copies a claim into a header.</summary>
public sealed record ClaimToHeader
{
    /// <summary>Header name.</summary>
    public string? Header { get; init; }

    /// <summary>Claim name.</summary>
    public string? Claim { get; init; }
}
