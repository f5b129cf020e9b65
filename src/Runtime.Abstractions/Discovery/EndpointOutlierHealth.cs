namespace Runtime.Abstractions.Discovery;

/// <summary>One endpoint's outlier-detection state across the mesh: what every reporting proxy says about it.</summary>
/// <param name="Host">The service host the endpoint belongs to.</param>
/// <param name="Address">The endpoint's address.</param>
/// <param name="Port">The endpoint's port.</param>
/// <param name="EjectedBy">Reporting proxies that have it ejected right now.</param>
/// <param name="MaxEjectionCount">The highest ejection count any proxy reports.</param>
/// <param name="LastReason">The reason of the latest ejection, or null when none is known.</param>
/// <param name="Reports">Each reporting proxy's own view, ordered by proxy id.</param>
public sealed record EndpointOutlierHealth(
    string Host, string Address, int Port, int EjectedBy, int MaxEjectionCount, string? LastReason, IReadOnlyList<ProxyOutlierStatus> Reports)
{
    /// <summary>The report of <paramref name="proxyId"/>, or null when that proxy has nothing to say about the endpoint.</summary>
    public EndpointOutlierStatus? ReportOf(string proxyId) => Reports.FirstOrDefault(r => r.ProxyId == proxyId)?.Status;
}
