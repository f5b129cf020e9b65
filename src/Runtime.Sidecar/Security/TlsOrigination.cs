using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Security;

/// <summary>
/// Outbound auto mTLS: decides per request whether the hop to an endpoint originates TLS, and with what. A
/// registered sidecar endpoint gets mesh mTLS (unless a DestinationRule says <c>tls.mode: DISABLE</c>, or the endpoint's
/// PeerAuthentication resolves to DISABLE, as Istio's auto mTLS does) once this
/// sidecar has a certificate; <c>ISTIO_MUTUAL</c> forces it. The workload certificate is read at each handshake,
/// the server is verified by <see cref="TlsPeerVerifier"/> and must be one of the identities allowed to serve the
/// service (secure naming): the service accounts of the service's registered endpoints, in its namespace.
/// <c>SIMPLE</c> and <c>MUTUAL</c> (upstreams outside the mesh) are built by <see cref="TlsExternalOrigination"/>.
/// </summary>
internal sealed partial class TlsOrigination(TlsPeerVerifier? verifier, ILogger<TlsOrigination> logger)
{
    // Built once per cluster object (clusters are rebuilt with each config push, so the allowed identities follow it).
    // Equal settings from one push to the next give equal partitions, so pooled connections outlive unrelated pushes.
    private readonly ConditionalWeakTable<Cluster, UpstreamTls> _byCluster = [];

    // The client certificate context (leaf plus intermediates) is built once per issued certificate.
    private static readonly ConditionalWeakTable<WorkloadCertificate, SslStreamCertificateContext> Contexts = [];

    /// <summary>ALPN offered on a connection opened by an HTTP/2 request.</summary>
    internal static readonly List<SslApplicationProtocol> Http2 = [SslApplicationProtocol.Http2];

    /// <summary>ALPN offered on a connection opened by an HTTP/1.x request.</summary>
    internal static readonly List<SslApplicationProtocol> Http11 = [SslApplicationProtocol.Http11];

    /// <summary>
    /// The TLS to originate towards <paramref name="endpoint"/> of <paramref name="cluster"/>, or null for plaintext.
    /// Its <see cref="UpstreamTls.Partition"/> names the settings, so a changed DestinationRule <c>tls</c>, a changed
    /// set of identities allowed to serve the service, or a certificate arriving takes effect from the next request:
    /// no connection opened under other settings is reused.
    /// </summary>
    public UpstreamTls? For(ProxyState state, Cluster cluster, MeshEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(endpoint);
        var settings = cluster.Policy?.Tls;
        switch (settings?.Mode)
        {
            case ClientTlsMode.Disable:
                return null;
            case ClientTlsMode.Simple or ClientTlsMode.Mutual:
                return _byCluster.GetValue(cluster, c => TlsExternalOrigination.Create(c, settings, logger));
            case ClientTlsMode.IstioMutual when verifier?.Source.Current is null:
                // Asked for mesh mTLS without a mesh identity: fail the connection rather than fall back to plaintext.
                return _byCluster.GetValue(cluster, c => Unusable($"DestinationRule for {c.Key.Host} asks for ISTIO_MUTUAL, but this sidecar has no workload certificate"));
            case null when verifier?.Source.Current is null || endpoint.ProxyId.Length == 0 || endpoint.MtlsDisabled:
                // Auto mTLS: only towards sidecars (registered endpoints) whose PeerAuthentication does not DISABLE
                // mTLS, and only once this sidecar has a certificate.
                return null;
            default:
                return _byCluster.GetValue(cluster, c => Create(verifier!, c, AllowedIdentities(state.Snapshot, c)));
        }
    }

    /// <summary><c>ns/&lt;namespace&gt;/sa/&lt;account&gt;</c> of every registered endpoint of the cluster's service.</summary>
    internal static IReadOnlySet<string> AllowedIdentities(ProxySnapshot snapshot, Cluster cluster)
    {
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in snapshot.Services)
        {
            if (string.Equals(service.Host, cluster.Key.Host, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var endpoint in service.Endpoints)
                {
                    allowed.Add($"ns/{service.Namespace}/sa/{endpoint.ServiceAccount}");
                }
            }
        }

        return allowed;
    }

    /// <summary>TLS whose every connection fails with <paramref name="problem"/> (never plaintext instead).</summary>
    internal static UpstreamTls Unusable(string problem, Exception? cause = null) =>
        new("unusable\n" + problem, _ => throw new IOException(problem, cause));

    private UpstreamTls Create(TlsPeerVerifier verifier, Cluster cluster, IReadOnlySet<string> allowed)
    {
        RemoteCertificateValidationCallback validate = (_, presented, chain, _) => Validate(verifier, cluster, allowed, presented, chain);
        // The workload certificate is not part of the partition: it is read per connection, so a renewed certificate
        // is used from the next handshake on while connections opened with the previous one stay valid until idle.
        var partition = $"ISTIO_MUTUAL\n{cluster.Key.Host}\n{string.Join(",", allowed.Order(StringComparer.Ordinal))}";
        return new UpstreamTls(partition, version => new SslClientAuthenticationOptions
        {
            TargetHost = cluster.Key.Host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateContext = verifier.Source.Current is { } current ? Contexts.GetValue(current, c => SslStreamCertificateContext.Create(c.Leaf, c.Chain, offline: true)) : null,
            ApplicationProtocols = version.Major >= 2 ? Http2 : Http11,
            RemoteCertificateValidationCallback = validate,
        });
    }

    private bool Validate(TlsPeerVerifier verifier, Cluster cluster, IReadOnlySet<string> allowed, X509Certificate? presented, X509Chain? chain)
    {
        if (presented is null)
        {
            LogRefused(logger, cluster.Key.Host, "the server sent no certificate");
            return false;
        }

        var leaf = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        var sent = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>() ?? [];
        if (verifier.Verify(leaf, sent, out var problem) is not { } identity)
        {
            LogRefused(logger, cluster.Key.Host, problem!);
            return false;
        }

        if (!allowed.Contains($"ns/{identity.Namespace}/sa/{identity.ServiceAccount}"))
        {
            LogRefused(logger, cluster.Key.Host, $"{identity.SpiffeId} is not allowed to serve {cluster.Key.Host} (secure naming: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})");
            return false;
        }

        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "mTLS to {Host} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string host, string reason);
}
