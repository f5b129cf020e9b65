using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Security;

/// <summary>The spec of an AuthorizationPolicy: access control for workloads.</summary>
public sealed record AuthorizationPolicySpec
{
    /// <summary>Workloads it applies to.</summary>
    public WorkloadSelector? Selector { get; init; }

    /// <summary>Resource it attaches to.</summary>
    public PolicyTargetReference? TargetRef { get; init; }

    /// <summary>Resources it attaches to.</summary>
    public IReadOnlyList<PolicyTargetReference>? TargetRefs { get; init; }

    /// <summary>Rules; any one matching applies the action.</summary>
    public IReadOnlyList<AuthorizationRule>? Rules { get; init; }

    /// <summary>What a match does; ALLOW when omitted.</summary>
    public AuthorizationAction? Action { get; init; }

    /// <summary>External authorizer for CUSTOM.</summary>
    public ExtensionProvider? Provider { get; init; }
}
