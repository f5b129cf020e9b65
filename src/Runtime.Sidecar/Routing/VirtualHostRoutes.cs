namespace Runtime.Sidecar.Routing;

/// <summary>One VirtualService's compiled branches, shared by every host it owns (compiled once).</summary>
/// <param name="VirtualService"><c>namespace/name</c>.</param>
/// <param name="Branches">The compiled match branches, in order.</param>
internal sealed record VirtualHostRoutes(string VirtualService, RouteBranch[] Branches)
{
    /// <summary>A virtual host for <paramref name="host"/> using these branches.</summary>
    public VirtualHost For(string host) => new(host, VirtualService, Branches);
}
