using Runtime.Abstractions.Discovery;

namespace Runtime.Silo.Discovery;

/// <summary>
/// Aggregates the proxies' latest outlier reports per endpoint: how many reporting proxies eject it now, the
/// highest ejection count, and the reason of the latest ejection.
/// </summary>
internal static class OutlierHealthView
{
    /// <param name="proxies">The registrations; those that never reported are not counted.</param>
    /// <param name="host">Only endpoints of this service host; null for all.</param>
    public static MeshOutlierHealth Of(IReadOnlyList<RegisteredProxy> proxies, string? host = null)
    {
        var reporting = proxies.Where(p => p.Outlier is not null).ToList();
        var endpoints = reporting
            .SelectMany(p => p.Outlier!.Endpoints.Select(e => new ProxyOutlierStatus(p.Id, e, p.Outlier.Received)))
            .Where(r => host is null || r.Status.Host == host)
            .GroupBy(r => (r.Status.Host, r.Status.Address, r.Status.Port))
            .OrderBy(g => g.Key.Host, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Address, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Port)
            .Select(g => Aggregate(g.Key.Host, g.Key.Address, g.Key.Port, [.. g.OrderBy(r => r.ProxyId, StringComparer.Ordinal)]))
            .ToList();
        return new MeshOutlierHealth(reporting.Count, endpoints);
    }

    private static EndpointOutlierHealth Aggregate(string host, string address, int port, IReadOnlyList<ProxyOutlierStatus> reports)
    {
        // The latest ejection is the one ending last among those in force; failing that, the latest report that
        // gives a reason.
        var lastReason = reports
            .Where(r => r.Status.Reason is not null)
            .OrderByDescending(r => r.Status.Ejected)
            .ThenByDescending(r => r.Status.EjectedUntil ?? DateTimeOffset.MinValue)
            .ThenByDescending(r => r.Reported)
            .Select(r => r.Status.Reason)
            .FirstOrDefault();
        return new EndpointOutlierHealth(
            host,
            address,
            port,
            reports.Count(r => r.Status.Ejected),
            reports.Max(r => r.Status.EjectionCount),
            lastReason,
            reports);
    }
}
