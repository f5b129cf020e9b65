using Runtime.Abstractions.Api;
using Runtime.Abstractions.Security.Authorization;
using Runtime.Grpc;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Api;

/// <summary>The calls behind <c>meshctl x authz check</c>.</summary>
internal sealed partial class MeshApiClient
{
    /// <summary>
    /// The snapshot last pushed to <paramref name="proxy"/> (a proxy id, instance name or <c>service.namespace</c>),
    /// with the identity the proxy registered and the mesh trust domains its policies are compiled for.
    /// </summary>
    public async Task<ProxyAuthorizationView> GetProxyAuthorizationAsync(string proxy, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(DiscoveryService, "GetProxySnapshot", new V1.GetProxySnapshotRequest { Proxy = proxy }, V1.ProxySnapshot.Parser, cancellationToken).ConfigureAwait(false);
        var snapshot = DiscoveryMessages.FromMessage(reply);
        var proxies = await CallAsync(DiscoveryService, "ListProxies", new V1.ListProxiesRequest(), V1.ListProxiesResponse.Parser, cancellationToken).ConfigureAwait(false);
        var status = proxies.Proxies.FirstOrDefault(p => snapshot.ProxyId.Length > 0 ? p.ProxyId == snapshot.ProxyId : Names(p, proxy))
            ?? throw new CliException($"proxy '{proxy}' has a snapshot but is no longer registered; see meshctl proxy-status");
        var identity = status.Identity ?? new V1.ProxyIdentity();
        var workload = new AuthorizationWorkload(identity.Namespace, identity.Service, new Dictionary<string, string>(identity.Labels));
        var instance = identity.Instance.Length > 0 ? identity.Instance : status.ProxyId;
        // Without an app port the sidecar reports the port the request arrived on: its inbound port.
        var port = identity.AppPort > 0 ? identity.AppPort : identity.InboundPort;
        return new ProxyAuthorizationView(snapshot, instance, workload, port, await TrustDomainsAsync(reply, cancellationToken).ConfigureAwait(false));
    }

    private static bool Names(V1.ProxyStatus status, string proxy) =>
        status.ProxyId == proxy || status.Identity?.Instance == proxy || $"{status.Identity?.Service}.{status.Identity?.Namespace}" == proxy;

    // The snapshot carries the trust bundle once the control plane publishes it there; until then the CA says.
    private async Task<IReadOnlyList<string>> TrustDomainsAsync(V1.ProxySnapshot reply, CancellationToken cancellationToken)
    {
        if (reply.Trust is { TrustDomains.Count: > 0 } trust)
        {
            return [.. trust.TrustDomains];
        }

        try
        {
            var ca = await _client.UnaryAsync(CertificateService + "GetStatus", new V1.GetCaStatusRequest(), V1.CaStatus.Parser, _options, cancellationToken).ConfigureAwait(false);
            return ca.TrustDomain.Length == 0 ? [] : [ca.TrustDomain, .. ca.TrustDomainAliases];
        }
        catch (GrpcException ex) when (ex.Status is GrpcStatusCode.Unimplemented or GrpcStatusCode.FailedPrecondition or GrpcStatusCode.NotFound)
        {
            return [];
        }
    }
}
