namespace Runtime.Abstractions.Analysis;

/// <summary>
/// Istio's rules for the names in a VirtualService's <c>gateways</c>: <c>mesh</c> means the sidecars;
/// <c>namespace/name</c> is explicit; a short <c>name</c> is in the VirtualService's namespace; the legacy
/// <c>name.namespace.svc.cluster.local</c> form names <c>namespace/name</c>.
/// </summary>
internal static class GatewayNames
{
    public const string Mesh = "mesh";

    /// <summary><c>namespace/name</c>, or <c>mesh</c>.</summary>
    public static string Resolve(string reference, string virtualServiceNamespace)
    {
        if (reference == Mesh)
        {
            return Mesh;
        }

        if (reference.Contains('/', StringComparison.Ordinal))
        {
            return reference;
        }

        var dot = reference.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var rest = reference[(dot + 1)..];
            var ns = rest.Split('.')[0];
            return $"{ns}/{reference[..dot]}";
        }

        return $"{virtualServiceNamespace}/{reference}";
    }

    /// <summary>The gateways a VirtualService applies to: its <c>gateways</c>, or only <c>mesh</c> when it names none.</summary>
    public static IReadOnlyList<string> Scopes(IReadOnlyList<string>? gateways, string virtualServiceNamespace) =>
        gateways is { Count: > 0 } ? [.. gateways.Select(g => Resolve(g, virtualServiceNamespace)).Distinct(StringComparer.Ordinal)] : [Mesh];
}
