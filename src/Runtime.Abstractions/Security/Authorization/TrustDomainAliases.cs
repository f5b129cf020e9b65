namespace Runtime.Abstractions.Security.Authorization;

/// <summary>
/// Istio's trust-domain migration for policy principals: a principal written for the mesh trust domain, one of its
/// aliases, or <c>cluster.local</c> (which in a policy always means "this mesh") stands for the same namespace and
/// service account in every one of those trust domains.
/// </summary>
/// <remarks>
/// Only a principal of exactly five <c>/</c>-separated parts (<c>td/ns/N/sa/S</c>) names a trust domain; anything
/// else (<c>*</c>, <c>*/sa/x</c>, <c>cluster.local/ns/a/*</c>) is kept as written. A trust-domain part that is
/// exactly <c>*</c> already matches every trust domain and is kept. Otherwise, when the trust-domain part is
/// <c>cluster.local</c> or matches one of the mesh trust domains (exactly, or as a <c>x*</c> prefix or <c>*x</c>
/// suffix pattern), the principal is replaced by one copy per mesh trust domain; a copy whose trust domain the
/// written <c>*x</c> suffix pattern already matches keeps the pattern as written. A principal naming a foreign trust
/// domain is kept as written. This is istiod's rewrite, done here when the policy is compiled.
/// </remarks>
internal static class TrustDomainAliases
{
    /// <summary>The trust domain a policy may use to mean the mesh's own, whatever it is called.</summary>
    public const string LocalPointer = "cluster.local";

    /// <summary>
    /// <paramref name="principals"/> widened to <paramref name="trustDomains"/> (the mesh trust domain first, then its
    /// aliases); unchanged when the trust domains are unknown (empty).
    /// </summary>
    public static IReadOnlyList<string> Expand(IReadOnlyList<string> principals, IReadOnlyList<string> trustDomains)
    {
        ArgumentNullException.ThrowIfNull(principals);
        ArgumentNullException.ThrowIfNull(trustDomains);
        if (trustDomains.Count == 0)
        {
            return principals;
        }

        var expanded = new List<string>(principals.Count * trustDomains.Count);
        foreach (var principal in principals)
        {
            var parts = principal.Split('/');
            var written = parts.Length == 5 ? parts[0] : null;
            if (written is null or "*" || (written != LocalPointer && !trustDomains.Any(td => Matches(written, td))))
            {
                AddOnce(expanded, principal);
                continue;
            }

            var rest = principal[written.Length..];
            foreach (var trustDomain in trustDomains)
            {
                AddOnce(expanded, IsSuffixPattern(written, trustDomain) ? principal : trustDomain + rest);
            }
        }

        return expanded;
    }

    // Either side may be the pattern, as in istiod: a trust domain never holds '*', so in practice the written part is.
    private static bool Matches(string written, string trustDomain) =>
        written == trustDomain
        || IsPrefixPattern(written, trustDomain) || IsPrefixPattern(trustDomain, written)
        || IsSuffixPattern(written, trustDomain) || IsSuffixPattern(trustDomain, written);

    private static bool IsPrefixPattern(string pattern, string value) =>
        pattern.EndsWith('*') && value.StartsWith(pattern[..^1], StringComparison.Ordinal);

    private static bool IsSuffixPattern(string pattern, string value) =>
        pattern.StartsWith('*') && value.EndsWith(pattern[1..], StringComparison.Ordinal);

    private static void AddOnce(List<string> list, string principal)
    {
        if (!list.Contains(principal, StringComparer.Ordinal))
        {
            list.Add(principal);
        }
    }
}
