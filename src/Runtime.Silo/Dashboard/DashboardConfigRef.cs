namespace Runtime.Silo.Dashboard;

/// <summary>A resource that applies to a node, and why.</summary>
/// <param name="Kind">The resource kind.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Why">How it reaches the node, e.g. <c>routes host reviews.default.svc.cluster.local</c>.</param>
internal sealed record DashboardConfigRef(string Kind, string Namespace, string Name, string Why);
