namespace Runtime.Abstractions.Security.Authorization;

/// <summary>The outcome of evaluating the AuthorizationPolicies of a workload for one request.</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="Policy">The deciding policy as <c>namespace/name</c>; null when no policy decided (default allow, or no ALLOW policy matched).</param>
/// <param name="RuleIndex">The index of the deciding rule in that policy; -1 when none.</param>
/// <param name="Action">The action of the deciding policy; null when none decided.</param>
/// <param name="Reason">Why, in a few words, for logs and the CLI.</param>
/// <param name="Audit">The first AUDIT policy whose rules matched, as <c>namespace/name</c>; null when none did.</param>
public sealed record AuthorizationDecision(bool Allowed, string? Policy, int RuleIndex, AuthorizationAction? Action, string Reason, string? Audit = null)
{
    /// <summary>No policy applies to the workload: Istio allows.</summary>
    public static AuthorizationDecision NoPolicies { get; } = new(true, null, -1, null, "no ALLOW policy applies");

    /// <summary>ALLOW policies apply and none matched: Istio denies.</summary>
    public static AuthorizationDecision NoAllowMatched { get; } = new(false, null, -1, null, "ALLOW policies apply and none matched");
}
