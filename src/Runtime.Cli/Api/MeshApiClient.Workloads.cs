using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Api;

/// <summary>Registered workloads with labels, ports and certificate reports (DiscoveryService.ListProxies).</summary>
internal sealed partial class MeshApiClient
{
    /// <summary>Every registered proxy as a <see cref="MeshWorkload"/>.</summary>
    public async Task<IReadOnlyList<MeshWorkload>> ListWorkloadsAsync(CancellationToken cancellationToken)
    {
        var reply = await CallAsync(DiscoveryService, "ListProxies", new V1.ListProxiesRequest(), V1.ListProxiesResponse.Parser, cancellationToken).ConfigureAwait(false);
        return [.. reply.Proxies.Where(p => p.Identity is not null).Select(p => new MeshWorkload(
            p.ProxyId,
            p.Identity.Instance,
            p.Identity.Service,
            p.Identity.Namespace,
            p.Identity.ServiceAccount,
            p.Identity.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
            p.Identity.AppPort > 0 ? p.Identity.AppPort : null,
            ReportedCertificate.From(p.Certificate)))];
    }
}
