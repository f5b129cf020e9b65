namespace Runtime.Abstractions.Security.Authorization;

/// <summary>
/// The AuthorizationPolicies that apply to this workload, compiled once per config push and read lock-free by
/// every request. Istio's order: CUSTOM, then DENY, then ALLOW; AUDIT never changes the decision.
/// </summary>
/// <remarks>
/// There is no external authorizer in this mesh, so a CUSTOM policy cannot be delegated: a request matching its
/// rules is denied (never let through), which is what istiod generates when a CUSTOM provider is missing.
/// <para>
/// Principals are compiled for one set of trust domains (<see cref="TrustDomains"/>); the sidecar learns its own
/// from its CA only after the policies arrived, and asks <see cref="ForTrustDomains"/> for the matching evaluator.
/// </para>
/// </remarks>
public sealed class AuthorizationEvaluator
{
    private readonly CompiledPolicy[] _custom;
    private readonly CompiledPolicy[] _deny;
    private readonly CompiledPolicy[] _allow;
    private readonly CompiledPolicy[] _audit;
    private readonly IReadOnlyList<SelectedPolicy> _sources;
    private AuthorizationEvaluator? _recompiled;

    /// <summary>Creates an evaluator over <paramref name="policies"/> (their order is the order they are tried in).</summary>
    public AuthorizationEvaluator(IReadOnlyList<CompiledPolicy> policies)
        : this(policies, [], [])
    {
    }

    internal AuthorizationEvaluator(IReadOnlyList<CompiledPolicy> policies, IReadOnlyList<SelectedPolicy> sources, IReadOnlyList<string> trustDomains)
    {
        ArgumentNullException.ThrowIfNull(policies);
        Policies = policies;
        _sources = sources;
        TrustDomains = trustDomains;
        _custom = [.. policies.Where(p => p.Action == AuthorizationAction.Custom)];
        _deny = [.. policies.Where(p => p.Action == AuthorizationAction.Deny)];
        _allow = [.. policies.Where(p => p.Action == AuthorizationAction.Allow)];
        _audit = [.. policies.Where(p => p.Action == AuthorizationAction.Audit)];
    }

    /// <summary>No policy: every request is allowed.</summary>
    public static AuthorizationEvaluator Empty { get; } = new([]);

    /// <summary>The policies that apply to this workload, in the order they were found.</summary>
    public IReadOnlyList<CompiledPolicy> Policies { get; }

    /// <summary>The policies in the order they are evaluated: CUSTOM, DENY, ALLOW, then AUDIT.</summary>
    public IEnumerable<CompiledPolicy> InEvaluationOrder => _custom.Concat(_deny).Concat(_allow).Concat(_audit);

    /// <summary>The trust domains principals were compiled for (the mesh's first, then its aliases); empty when unknown.</summary>
    public IReadOnlyList<string> TrustDomains { get; }

    /// <summary>
    /// This evaluator's policies compiled for <paramref name="trustDomains"/> (see <c>TrustDomainAliases</c>): this
    /// instance when they are the ones it was compiled for, else a recompiled one, kept until the next change.
    /// </summary>
    public AuthorizationEvaluator ForTrustDomains(IReadOnlyList<string> trustDomains)
    {
        ArgumentNullException.ThrowIfNull(trustDomains);
        if (_sources.Count == 0 || SameDomains(TrustDomains, trustDomains))
        {
            return this;
        }

        if (Volatile.Read(ref _recompiled) is { } known && SameDomains(known.TrustDomains, trustDomains))
        {
            return known;
        }

        // Problems do not depend on the trust domains: they were reported when this evaluator was compiled. The list
        // is kept as given (sources swap whole lists, never mutate one), so the next request finds it by reference.
        var recompiled = AuthorizationPolicyCompiler.Compile(_sources, trustDomains, []);
        Volatile.Write(ref _recompiled, recompiled);
        return recompiled;
    }

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

    private static bool SameDomains(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        ReferenceEquals(a, b) || a.SequenceEqual(b, StringComparer.Ordinal);

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
