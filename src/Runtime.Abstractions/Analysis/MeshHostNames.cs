using Runtime.Abstractions.Discovery;

namespace Runtime.Abstractions.Analysis;

/// <summary>Istio's host rules as the analyzer and the dashboard need them: wildcards and the cluster domain.</summary>
public static class MeshHostNames
{
    private const string ClusterDomain = "." + ServiceHosts.ClusterSuffix;

    /// <summary>Whether a host pattern is a wildcard (<c>*</c> or <c>*.suffix</c>).</summary>
    public static bool IsWildcard(string host) => host.StartsWith('*');

    /// <summary>Whether a host lives in the cluster domain, where only the registry (not the files) can say what exists.</summary>
    public static bool IsClusterLocal(string host) => host.EndsWith(ClusterDomain, StringComparison.OrdinalIgnoreCase);

    /// <summary>Istio's wildcard rule: <c>*</c> covers everything, <c>*.example.com</c> every name below example.com.</summary>
    public static bool Covers(string pattern, string host) =>
        string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase)
        || pattern == "*"
        || (IsWildcard(pattern) && host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1);

    /// <summary>Whether two host patterns can both match one name.</summary>
    public static bool Overlap(string a, string b) => Covers(a, b) || Covers(b, a);
}
