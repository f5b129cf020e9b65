using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Discovery;

/// <summary>How registered services are named in the mesh: Kubernetes-style fully qualified hosts.</summary>
public static class ServiceHosts
{
    /// <summary>The DNS suffix of every registered service host.</summary>
    public const string ClusterSuffix = "svc.cluster.local";

    /// <summary>The host of a registered service: <c>&lt;service&gt;.&lt;namespace&gt;.svc.cluster.local</c>.</summary>
    /// <param name="service">The short service name, e.g. <c>reviews</c>.</param>
    /// <param name="namespace">The service's namespace.</param>
    public static string For(string service, string @namespace) => $"{service}.{@namespace}.{ClusterSuffix}";

    /// <summary>
    /// Resolves a host as written in a resource of namespace <paramref name="namespace"/> the way Istio does:
    /// a short name without dots (<c>reviews</c>) is in the resource's namespace; anything else (a fully
    /// qualified name, a wildcard, an external host) is kept as written.
    /// </summary>
    /// <param name="host">The host as written.</param>
    /// <param name="namespace">The namespace of the resource that names it.</param>
    public static string Qualify(string host, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Length == 0 || host.Contains('.', StringComparison.Ordinal) || host.Contains('*', StringComparison.Ordinal)
            ? host
            : For(host, @namespace);
    }

    /// <summary>Whether <paramref name="name"/> is a valid service or namespace name (a DNS-1123 label).</summary>
    /// <param name="name">The name to check.</param>
    public static bool IsValidName(string name) => NameRules.IsLabel(name);
}
