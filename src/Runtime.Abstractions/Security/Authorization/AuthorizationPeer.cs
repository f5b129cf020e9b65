namespace Runtime.Abstractions.Security.Authorization;

/// <summary>The verified mTLS identity of a request's peer, as policies read it.</summary>
/// <param name="TrustDomain">The trust domain, e.g. <c>cluster.local</c>.</param>
/// <param name="Namespace">The namespace, e.g. <c>default</c>.</param>
/// <param name="ServiceAccount">The service account, e.g. <c>productpage</c>.</param>
public sealed record AuthorizationPeer(string TrustDomain, string Namespace, string ServiceAccount)
{
    /// <summary>The principal as AuthorizationPolicy spells it: <c>td/ns/namespace/sa/account</c> (the SPIFFE id without <c>spiffe://</c>).</summary>
    public string Principal { get; } = $"{TrustDomain}/ns/{Namespace}/sa/{ServiceAccount}";

    /// <summary>
    /// Parses a principal written as in a policy (<c>cluster.local/ns/default/sa/reviews</c>, optionally with
    /// <c>spiffe://</c>); null with the reason when it is not of that form.
    /// </summary>
    public static AuthorizationPeer? TryParse(string principal, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var text = principal.StartsWith("spiffe://", StringComparison.Ordinal) ? principal["spiffe://".Length..] : principal;
        var parts = text.Split('/');
        if (parts.Length != 5 || parts[1] != "ns" || parts[3] != "sa" || parts[0].Length == 0 || parts[2].Length == 0 || parts[4].Length == 0 || text.Contains('*', StringComparison.Ordinal))
        {
            problem = $"'{principal}' is not a principal of the form <trust-domain>/ns/<namespace>/sa/<service-account>";
            return null;
        }

        problem = null;
        return new AuthorizationPeer(parts[0], parts[2], parts[4]);
    }
}
