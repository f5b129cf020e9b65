namespace Runtime.Abstractions.Security.Authorization;

/// <summary>Why an AuthorizationPolicy applies to a workload.</summary>
public enum AuthorizationPolicyScope
{
    /// <summary>Mesh-wide: a policy without selector in the root namespace.</summary>
    Mesh,

    /// <summary>Namespace-wide: a policy without selector in the workload's namespace.</summary>
    Namespace,

    /// <summary>Workload: its <c>selector</c> matches the workload's labels, or its <c>targetRef</c> names the workload's Service.</summary>
    Workload,
}
