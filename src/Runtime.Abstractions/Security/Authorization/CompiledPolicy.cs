namespace Runtime.Abstractions.Security.Authorization;

/// <summary>One AuthorizationPolicy compiled for one workload: its rules as predicates. Immutable.</summary>
/// <param name="Name">The policy as <c>namespace/name</c>.</param>
/// <param name="Action">What a match does.</param>
/// <param name="Rules">One predicate per rule; none means the policy matches nothing.</param>
public sealed record CompiledPolicy(string Name, AuthorizationAction Action, IReadOnlyList<Func<AuthorizationRequest, bool>> Rules)
{
    /// <summary>Why the policy applies to the workload.</summary>
    public AuthorizationPolicyScope Scope { get; init; } = AuthorizationPolicyScope.Namespace;

    /// <summary>For <see cref="AuthorizationPolicyScope.Workload"/>: the selector (<c>app=reviews</c>) or target (<c>Service/reviews</c>); otherwise empty.</summary>
    public string Selector { get; init; } = "";

    /// <summary>The index of the first rule matching <paramref name="request"/>, or -1.</summary>
    public int FirstMatch(AuthorizationRequest request)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            if (Rules[i](request))
            {
                return i;
            }
        }

        return -1;
    }
}
