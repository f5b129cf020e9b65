namespace Runtime.Abstractions.Security;

/// <summary>One authorization rule; all its parts must match.</summary>
public sealed record AuthorizationRule
{
    /// <summary>Request sources.</summary>
    public IReadOnlyList<RuleFrom>? From { get; init; }

    /// <summary>Request operations.</summary>
    public IReadOnlyList<RuleTo>? To { get; init; }

    /// <summary>Extra conditions.</summary>
    public IReadOnlyList<Condition>? When { get; init; }
}
