using System.Runtime.CompilerServices;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// Routes a tunnel's target <c>host:port</c>: the host resolves exactly as an HTTP request's host does (service short
/// name, FQDN, ServiceEntry host, through the route table), then the <c>tcp:</c> rules of the VirtualService that owns
/// the host decide (first match wins; none matching is NR), else the whole service on the requested port. The
/// destination's DestinationRule (subsets, load balancer, connection pool, TLS) comes with the cluster.
/// </summary>
internal sealed class TcpRouter(SidecarIdentity self)
{
    // Compiled once per snapshot, read lock-free.
    private readonly ConditionalWeakTable<ProxySnapshot, Dictionary<string, TcpVirtualService>> _compiled = [];

    /// <summary>The cluster for <paramref name="host"/>:<paramref name="port"/>, or the NR reason.</summary>
    public Cluster? Route(ProxyState state, string host, int port, out string? noRoute)
    {
        ArgumentNullException.ThrowIfNull(state);
        noRoute = null;
        if (state.Routes.FindHost(host) is not { } virtualHost)
        {
            noRoute = $"no service, ServiceEntry or VirtualService host matches '{host}'";
            return null;
        }

        var target = virtualHost.Host;
        if (virtualHost.VirtualService is { } name && _compiled.GetValue(state.Snapshot, Compile).TryGetValue(name, out var virtualService))
        {
            if (virtualService.Rules.FirstOrDefault(r => r.Matches(host, port, self)) is not { } rule)
            {
                noRoute = $"no tcp route of VirtualService {name} matched the connection to '{host}:{port}'";
                return null;
            }

            if (rule.Pick() is not { } destination)
            {
                noRoute = $"{rule.Name} has no destination with a weight above 0";
                return null;
            }

            var qualified = MeshHosts.Qualify(destination.Host!, virtualService.Namespace, RouteTableOptions.Default.DomainSuffix);
            var destinationHost = MeshHosts.IsWildcard(qualified) ? qualified : state.Routes.FindHost(qualified)?.Host is { } found && !MeshHosts.IsWildcard(found) ? found : qualified;
            return state.Routes.GetCluster(new ClusterKey(destinationHost, destination.Subset, destination.Port?.Number ?? port));
        }

        // No VirtualService, or one without tcp rules: the whole service, as Istio's default TCP route.
        return state.Routes.GetCluster(new ClusterKey(target, null, port));
    }

    private static Dictionary<string, TcpVirtualService> Compile(ProxySnapshot snapshot)
    {
        var compiled = new Dictionary<string, TcpVirtualService>(StringComparer.Ordinal);
        foreach (var resource in snapshot.Resources)
        {
            if (!MeshKinds.TryGet(resource.ApiVersion, resource.Kind, out var kind) || kind != MeshKinds.VirtualService)
            {
                continue;
            }

            var bound = kind.Bind(resource.Spec);
            if (bound.HasErrors || bound.Value is not VirtualServiceSpec { Tcp: { Count: > 0 } tcp })
            {
                continue;
            }

            var name = $"{resource.Metadata.Namespace}/{resource.Metadata.Name}";
            compiled[name] = new TcpVirtualService(resource.Metadata.Namespace, [.. tcp.Select((r, i) => new TcpRouteRule(r, name, i))]);
        }

        return compiled;
    }

    private sealed record TcpVirtualService(string Namespace, TcpRouteRule[] Rules);
}
