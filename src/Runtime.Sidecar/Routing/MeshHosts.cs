namespace Runtime.Sidecar.Routing;

/// <summary>Host name rules: Kubernetes short-name qualification, wildcard matching and exportTo visibility.</summary>
internal static class MeshHosts
{
    /// <summary>
    /// Qualifies a host written in a resource of namespace <paramref name="ns"/>: a name without dots is a short
    /// Kubernetes name and becomes <c>name.ns.svc.suffix</c> (Istio: "short names are interpreted based on the
    /// namespace of the rule, not the service"); anything else is taken as written, lower-cased.
    /// </summary>
    public static string Qualify(string host, string ns, string suffix)
    {
        var lower = host.Trim().ToLowerInvariant();
        return lower.Length == 0 || lower.Contains('.', StringComparison.Ordinal) || lower == "*" ? lower : $"{lower}.{ns}.svc.{suffix}";
    }

    /// <summary>Whether a host is a wildcard (<c>*</c> or <c>*.example.com</c>).</summary>
    public static bool IsWildcard(string host) => host.StartsWith('*');

    /// <summary>Whether a wildcard <paramref name="pattern"/> covers <paramref name="host"/> (<c>*.a.com</c> covers <c>x.y.a.com</c>, not <c>a.com</c>).</summary>
    public static bool WildcardCovers(string pattern, string host) =>
        pattern == "*" || (pattern.StartsWith("*.", StringComparison.Ordinal) && host.Length > pattern.Length - 1 && host.EndsWith(pattern.AsSpan(1), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The names a caller in <paramref name="selfNamespace"/> may use for a Kubernetes service host, as Istio's
    /// sidecar virtual host domains: <c>name.ns.svc.suffix</c>, <c>name.ns.svc</c>, <c>name.ns</c>, and
    /// <c>name</c> only when the service is in the caller's namespace.
    /// </summary>
    public static IEnumerable<string> Aliases(string fqdn, string selfNamespace, string suffix)
    {
        yield return fqdn;
        var svcSuffix = $".svc.{suffix}";
        if (!fqdn.EndsWith(svcSuffix, StringComparison.Ordinal))
        {
            yield break;
        }

        var nameAndNs = fqdn[..^svcSuffix.Length];
        var dot = nameAndNs.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || nameAndNs.IndexOf('.', dot + 1) >= 0)
        {
            yield break;
        }

        yield return $"{nameAndNs}.svc";
        yield return nameAndNs;
        if (string.Equals(nameAndNs[(dot + 1)..], selfNamespace, StringComparison.Ordinal))
        {
            yield return nameAndNs[..dot];
        }
    }

    /// <summary>
    /// Istio's exportTo: absent or empty means everywhere; <c>*</c> everywhere; <c>.</c> the resource's own
    /// namespace; <c>~</c> nowhere; otherwise the listed namespaces.
    /// </summary>
    public static bool IsVisible(IReadOnlyList<string>? exportTo, string resourceNamespace, string selfNamespace)
    {
        if (exportTo is null || exportTo.Count == 0)
        {
            return true;
        }

        foreach (var target in exportTo)
        {
            if (target == "*" || (target == "." && resourceNamespace == selfNamespace) || target == selfNamespace)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How specific a host is for "most specific wins": exact beats any wildcard, longer wildcards beat shorter.</summary>
    public static int Specificity(string host) => IsWildcard(host) ? host.Length : int.MaxValue;
}
