using Runtime.Abstractions.Security;

namespace Runtime.Sidecar.Security.Authorization;

/// <summary>
/// The AuthorizationPolicies that apply to this workload, compiled once per config push and read lock-free by
/// every request. Istio's order: CUSTOM, then DENY, then ALLOW; AUDIT never changes the decision.
/// </summary>
/// <remarks>
/// There is no external authorizer in this mesh, so a CUSTOM policy cannot be delegated: a request matching its
/// rules is denied (never let through), which is what istiod generates when a CUSTOM provider is missing.
/// </remarks>
internal sealed class AuthorizationEvaluator
{
    private readonly CompiledPolicy[] _custom;
    private readonly CompiledPolicy[] _deny;
    private readonly CompiledPolicy[] _allow;
    private readonly CompiledPolicy[] _audit;

    /// <summary>Creates an evaluator over <paramref name="policies"/> (their order is the order they are tried in).</summary>
    public AuthorizationEvaluator(IReadOnlyList<CompiledPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        Policies = policies;
        _custom = [.. policies.Where(p => p.Action == AuthorizationAction.Custom)];
        _deny = [.. policies.Where(p => p.Action == AuthorizationAction.Deny)];
        _allow = [.. policies.Where(p => p.Action == AuthorizationAction.Allow)];
        _audit = [.. policies.Where(p => p.Action == AuthorizationAction.Audit)];
    }

    /// <summary>No policy: every request is allowed.</summary>
    public static AuthorizationEvaluator Empty { get; } = new([]);

    /// <summary>The policies that apply to this workload.</summary>
    public IReadOnlyList<CompiledPolicy> Policies { get; }

    /// <summary>Decides <paramref name="request"/>.</summary>
    public AuthorizationDecision Evaluate(AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = Decide(request);
        if (_audit.Length == 0)
        {
            return decision;
        }

        foreach (var policy in _audit)
        {
            if (policy.FirstMatch(request) >= 0)
            {
                return decision with { Audit = policy.Name };
            }
        }

        return decision;
    }

    private AuthorizationDecision Decide(AuthorizationRequest request)
    {
        foreach (var policy in _custom)
        {
            if (policy.FirstMatch(request) is var rule and >= 0)
            {
                return new AuthorizationDecision(false, policy.Name, rule, AuthorizationAction.Custom, "matched a CUSTOM policy and no external authorizer is configured");
            }
        }

        foreach (var policy in _deny)
        {
            if (policy.FirstMatch(request) is var rule and >= 0)
            {
                return new AuthorizationDecision(false, policy.Name, rule, AuthorizationAction.Deny, "matched a DENY policy");
            }
        }

        if (_allow.Length == 0)
        {
            return AuthorizationDecision.NoPolicies;
        }

        foreach (var policy in _allow)
        {
            if (policy.FirstMatch(request) is var rule and >= 0)
            {
                return new AuthorizationDecision(true, policy.Name, rule, AuthorizationAction.Allow, "matched an ALLOW policy");
            }
        }

        return AuthorizationDecision.NoAllowMatched;
    }
}
