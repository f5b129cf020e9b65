namespace Runtime.Abstractions.Security;

/// <summary>
/// The mesh's root namespaces: a security policy (PeerAuthentication, RequestAuthentication,
/// AuthorizationPolicy) without a selector there applies mesh-wide. The mesh's own name comes first, then Istio's,
/// so existing Istio YAML works unchanged.
/// </summary>
public static class RootNamespaces
{
    /// <summary>The root namespaces, in precedence order: <c>mesh-system</c>, then <c>istio-system</c>.</summary>
    public static IReadOnlyList<string> All { get; } = ["mesh-system", "istio-system"];

    /// <summary>Whether <paramref name="ns"/> is a root namespace.</summary>
    public static bool Contains(string? ns) => ns is "mesh-system" or "istio-system";
}
