namespace Runtime.Silo.Dashboard;

/// <summary>A resource that applies to a node, and why.</summary>
/// <param name="Kind">The resource kind.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Why">How it reaches the node, e.g. <c>routes host reviews.default.svc.cluster.local</c>.</param>
/// <param name="Shadowed">True when it names the node's host only through a wildcard that a more specific resource of
/// the same kind overrides: listed so the operator sees it, but it does not act on this node.</param>
internal sealed record DashboardConfigRef(string Kind, string Namespace, string Name, string Why, bool Shadowed = false);
