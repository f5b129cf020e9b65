using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Security;

/// <summary>The spec of a RequestAuthentication: which JWTs a workload accepts.</summary>
public sealed record RequestAuthenticationSpec
{
    /// <summary>Workloads it applies to.</summary>
    public WorkloadSelector? Selector { get; init; }

    /// <summary>Resource it attaches to.</summary>
    public PolicyTargetReference? TargetRef { get; init; }

    /// <summary>Resources it attaches to.</summary>
    public IReadOnlyList<PolicyTargetReference>? TargetRefs { get; init; }

    /// <summary>Accepted token issuers.</summary>
    public IReadOnlyList<JwtRule>? JwtRules { get; init; }
}
