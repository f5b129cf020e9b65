namespace Runtime.Abstractions.Common;

/// <summary>Names the resource (for example a Gateway API Gateway or a Service) a policy attaches to.</summary>
public sealed record PolicyTargetReference
{
    /// <summary>API group of the target; empty for the core group.</summary>
    public string? Group { get; init; }

    /// <summary>Kind of the target, for example <c>Gateway</c> or <c>Service</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>Name of the target.</summary>
    public string? Name { get; init; }

    /// <summary>Namespace of the target; must be the policy's own namespace when set.</summary>
    public string? Namespace { get; init; }
}
