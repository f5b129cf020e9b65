namespace Runtime.Abstractions.Security;

/// <summary>A source clause.</summary>
public sealed record RuleFrom
{
    /// <summary>Attributes of the peer.</summary>
    public Source? Source { get; init; }
}
