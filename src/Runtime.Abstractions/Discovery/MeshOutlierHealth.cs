namespace Runtime.Abstractions.Discovery;

/// <summary>
/// Outlier-detection state of the mesh's endpoints as the control plane aggregates it from the proxies'
/// heartbeats: "ejected by <see cref="EndpointOutlierHealth.EjectedBy"/> of <see cref="ReportingProxies"/>".
/// </summary>
/// <param name="ReportingProxies">Registered proxies that report outlier state.</param>
/// <param name="Endpoints">Every endpoint some reporting proxy has ejected now or before, ordered by host, address, port.</param>
public sealed record MeshOutlierHealth(int ReportingProxies, IReadOnlyList<EndpointOutlierHealth> Endpoints)
{
    /// <summary>Nothing reported.</summary>
    public static MeshOutlierHealth Empty { get; } = new(0, []);

    /// <summary>The endpoint's aggregated state, or null when no proxy reports on it.</summary>
    public EndpointOutlierHealth? Find(string host, string address, int port) =>
        Endpoints.FirstOrDefault(e => e.Port == port && e.Address == address && e.Host == host);
}
