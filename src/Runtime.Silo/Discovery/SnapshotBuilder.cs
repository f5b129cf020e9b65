using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;

namespace Runtime.Silo.Discovery;

/// <summary>
/// Computes proxy snapshots from one config view and one list of registrations. What a proxy sees depends
/// only on its namespace (exportTo is per namespace), so content is computed once per namespace and shared.
/// </summary>
internal sealed class SnapshotBuilder
{
    private readonly MeshConfigView _config;
    private readonly IReadOnlyList<MeshService> _registered;
    private readonly MeshTrustBundle? _trust;
    private readonly Dictionary<string, SnapshotContent> _byNamespace = new(StringComparer.Ordinal);

    /// <summary>A builder over <paramref name="config"/> and <paramref name="proxies"/>; every snapshot carries <paramref name="trust"/>.</summary>
    public SnapshotBuilder(MeshConfigView config, IReadOnlyList<RegisteredProxy> proxies, MeshTrustBundle? trust = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(proxies);
        _config = config;
        _registered = RegisteredServices(proxies, [.. config.Resources.Values.Select(r => r.Resource).Where(r => r.Kind == MeshKinds.PeerAuthentication.Kind)]);
        _trust = trust;
    }

    /// <summary>The snapshot for <paramref name="proxy"/>, stamped <paramref name="created"/>.</summary>
    public ProxySnapshot Build(RegisteredProxy proxy, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var content = ContentFor(proxy.Identity.Namespace);
        return new ProxySnapshot
        {
            Version = content.Version,
            Created = created,
            ProxyId = proxy.Id,
            Resources = content.Resources,
            Services = content.Services,
            Revision = _config.Revision,
            Trust = _trust,
        };
    }

    /// <summary>The resources and services proxies of <paramref name="namespace"/> see.</summary>
    public SnapshotContent ContentFor(string @namespace)
    {
        if (_byNamespace.TryGetValue(@namespace, out var cached))
        {
            return cached;
        }

        var visible = _config.Resources.Values.Where(r => r.IsVisibleTo(@namespace)).ToList();
        MeshResource[] resources = [.. visible.Select(r => r.Resource)
            .OrderBy(r => r.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)];
        MeshService[] services = [.. _registered
            .Concat(visible.SelectMany(r => r.Services))
            .OrderBy(s => s.Host, StringComparer.Ordinal)
            .ThenBy(s => s.Namespace, StringComparer.Ordinal)
            // Two ServiceEntries may declare one host: order them by content too, so every replica computes one version.
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ThenBy(s => string.Join(",", s.Ports), StringComparer.Ordinal)
            .ThenBy(s => string.Join(",", s.Endpoints.Select(e => $"{e.Address}:{e.Port}")), StringComparer.Ordinal)];
        var content = new SnapshotContent(resources, services, SnapshotVersion.Compute(resources, services, _trust));
        _byNamespace[@namespace] = content;
        return content;
    }

    /// <summary>
    /// One service per (service, namespace) of the registrations, every instance an endpoint, marked when its
    /// PeerAuthentication (from <paramref name="peerAuthentications"/>) disables mTLS on its app port.
    /// </summary>
    internal static List<MeshService> RegisteredServices(IReadOnlyList<RegisteredProxy> proxies, IReadOnlyList<MeshResource> peerAuthentications) =>
    [
        .. proxies
            .GroupBy(p => (p.Identity.Service, p.Identity.Namespace))
            .Select(group => new MeshService
            {
                Name = group.Key.Service,
                Namespace = group.Key.Namespace,
                Host = ServiceHosts.For(group.Key.Service, group.Key.Namespace),
                Endpoints = [.. group.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => new MeshEndpoint
                {
                    Address = p.Identity.Address,
                    Port = p.Identity.InboundPort,
                    Labels = p.Identity.Labels,
                    Health = EndpointHealth.Healthy,
                    ProxyId = p.Id,
                    ServiceAccount = p.Identity.ServiceAccount,
                    Instance = p.Identity.Instance,
                    MtlsDisabled = peerAuthentications.Count > 0 && PeerAuthenticationPolicy.Resolve(
                        peerAuthentications, p.Identity.Namespace, p.Identity.Labels, p.Identity.AppPort > 0 ? p.Identity.AppPort : null).Mode == MutualTlsMode.Disable,
                })],
            }),
    ];
}
