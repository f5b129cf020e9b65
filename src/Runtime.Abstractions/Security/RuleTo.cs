namespace Runtime.Abstractions.Security;

/// <summary>An operation clause.</summary>
public sealed record RuleTo
{
    /// <summary>Attributes of the request.</summary>
    public Operation? Operation { get; init; }
}
