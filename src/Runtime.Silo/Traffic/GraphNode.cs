namespace Runtime.Silo.Traffic;

/// <summary>A node of the service graph: one version of one service.</summary>
/// <param name="Id"><c>namespace/service/version</c>.</param>
/// <param name="Service">The service (workload) name, or <c>unknown</c>.</param>
/// <param name="Namespace">The namespace, or <c>unknown</c>.</param>
/// <param name="Version">The <c>version</c> label, or <c>unknown</c>.</param>
/// <param name="Kind"><c>workload</c> for a mesh workload (registered, or reporting as one), else <c>unknown</c>.</param>
/// <param name="Proxies">Registered proxies of this node.</param>
/// <param name="Rps">Inbound requests per second (all edges targeting it).</param>
/// <param name="ErrorRate">Inbound errors / inbound requests, 0..1.</param>
internal sealed record GraphNode(string Id, string Service, string Namespace, string Version, string Kind, int Proxies, double Rps, double ErrorRate);
