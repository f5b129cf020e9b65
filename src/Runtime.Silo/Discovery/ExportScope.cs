namespace Runtime.Silo.Discovery;

/// <summary>
/// Istio's <c>exportTo</c>: which namespaces see a resource. Omitted or <c>*</c>: every namespace; <c>.</c>: the
/// resource's own; <c>~</c>: none; any other entry names a namespace.
/// </summary>
internal sealed class ExportScope
{
    public static readonly ExportScope Everywhere = new(all: true, own: false, []);

    private readonly bool _all;
    private readonly bool _own;
    private readonly HashSet<string> _namespaces;

    private ExportScope(bool all, bool own, HashSet<string> namespaces)
    {
        _all = all;
        _own = own;
        _namespaces = namespaces;
    }

    public static ExportScope Parse(IReadOnlyList<string>? exportTo)
    {
        if (exportTo is null || exportTo.Count == 0 || exportTo.Contains("*"))
        {
            return Everywhere;
        }

        return new ExportScope(all: false, own: exportTo.Contains("."), [.. exportTo.Where(e => e is not ("." or "~"))]);
    }

    /// <summary>Whether a resource of <paramref name="ownerNamespace"/> is visible to proxies of <paramref name="proxyNamespace"/>.</summary>
    public bool Includes(string ownerNamespace, string proxyNamespace) =>
        _all || (_own && ownerNamespace == proxyNamespace) || _namespaces.Contains(proxyNamespace);
}
