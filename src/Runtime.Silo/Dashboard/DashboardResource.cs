namespace Runtime.Silo.Dashboard;

/// <summary>One stored resource in the Config view: how far it is applied and what is wrong with it.</summary>
/// <param name="Kind">The resource kind.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="ResourceVersion">Its stored resourceVersion.</param>
/// <param name="Applied">Proxies whose ACKed config holds it at that version.</param>
/// <param name="Proxies">Proxies that should hold it (0 for kinds sidecars never receive).</param>
/// <param name="Findings">Validation and analysis findings, errors first.</param>
internal sealed record DashboardResource(
    string Kind, string Namespace, string Name, long ResourceVersion, int Applied, int Proxies, IReadOnlyList<DashboardFinding> Findings);
