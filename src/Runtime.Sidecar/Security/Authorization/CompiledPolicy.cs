using Runtime.Abstractions.Security;

namespace Runtime.Sidecar.Security.Authorization;

/// <summary>One AuthorizationPolicy compiled for one workload: its rules as predicates. Immutable.</summary>
/// <param name="Name">The policy as <c>namespace/name</c>.</param>
/// <param name="Action">What a match does.</param>
/// <param name="Rules">One predicate per rule; none means the policy matches nothing.</param>
internal sealed record CompiledPolicy(string Name, AuthorizationAction Action, Func<AuthorizationRequest, bool>[] Rules)
{
    /// <summary>The index of the first rule matching <paramref name="request"/>, or -1.</summary>
    public int FirstMatch(AuthorizationRequest request)
    {
        for (var i = 0; i < Rules.Length; i++)
        {
            if (Rules[i](request))
            {
                return i;
            }
        }

        return -1;
    }
}
