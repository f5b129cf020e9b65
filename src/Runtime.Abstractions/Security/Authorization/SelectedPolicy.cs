namespace Runtime.Abstractions.Security.Authorization;

/// <summary>An AuthorizationPolicy that applies to the workload, before its rules are compiled.</summary>
/// <param name="Name">The policy as <c>namespace/name</c>.</param>
/// <param name="Scope">Why it applies.</param>
/// <param name="Selector">The selector or target, for <see cref="AuthorizationPolicyScope.Workload"/>.</param>
/// <param name="Spec">The bound spec; null when the policy is invalid (it then denies every request).</param>
internal sealed record SelectedPolicy(string Name, AuthorizationPolicyScope Scope, string Selector, AuthorizationPolicySpec? Spec);
