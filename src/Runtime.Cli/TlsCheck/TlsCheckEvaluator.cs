using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Cli.Api;

namespace Runtime.Cli.TlsCheck;

/// <summary>
/// Computes <c>meshctl x tls-check</c> from the configuration and the registered workloads. The server side is
/// <see cref="PeerAuthenticationPolicy"/>, the resolution the sidecars enforce. The client side follows the
/// sidecar's outbound rule: a DestinationRule <c>tls</c> mode when one applies, else auto mTLS, which originates
/// mesh mTLS towards every registered sidecar once the client has a certificate (whatever the server's mode) and
/// plaintext before that. Every registered workload counts as a client of every service.
/// </summary>
internal static class TlsCheckEvaluator
{
    /// <summary>The rows for every service port <paramref name="include"/> keeps, ordered by host and port.</summary>
    /// <param name="resources">Every resource in force.</param>
    /// <param name="workloads">Every registered workload (servers and clients).</param>
    /// <param name="include">Which (service, namespace, port) to report.</param>
    /// <param name="now">For certificate expiry.</param>
    public static IReadOnlyList<TlsCheckRow> Evaluate(IReadOnlyList<MeshResource> resources, IReadOnlyList<MeshWorkload> workloads, Func<string, string, int, bool> include, DateTimeOffset now)
    {
        var rules = new DestinationRuleLookup(resources);
        var reporting = workloads.Any(w => w.Certificate is not null);
        CertificateState Certificate(MeshWorkload w) =>
            w.Certificate is { } c ? (c.NotAfter is { } expiry && expiry <= now ? CertificateState.Absent : CertificateState.Present)
            : reporting ? CertificateState.Absent : CertificateState.Unknown;

        var rows = new List<TlsCheckRow>();
        var ports = workloads
            .Where(w => w.AppPort is not null && include(w.Service, w.Namespace, w.AppPort.Value))
            .GroupBy(w => (w.Service, w.Namespace, Port: w.AppPort!.Value))
            .OrderBy(g => ServiceHosts.For(g.Key.Service, g.Key.Namespace), StringComparer.Ordinal)
            .ThenBy(g => g.Key.Port);
        foreach (var servers in ports)
        {
            var host = ServiceHosts.For(servers.Key.Service, servers.Key.Namespace);
            var serverStates = servers
                .Select(w => (Workload: w, Policy: PeerAuthenticationPolicy.Resolve(resources, w.Namespace, w.Labels, servers.Key.Port), Certificate: Certificate(w)))
                .ToList();
            var clientGroups = workloads
                .SelectMany(w => rules.Find(w, host, servers.Key.Namespace, servers.Key.Port).Select(route => (Workload: w, Certificate: Certificate(w), Route: route)))
                .Select(c => (c.Workload, c.Certificate, c.Route, Side: ClientSide(c.Route.Tls, c.Certificate)))
                .GroupBy(c => (c.Side.Shown, c.Side.Origination, c.Route.Rule))
                .Select(g => (g.Key.Shown, g.Key.Origination, g.Key.Rule, g.First().Route.SubsetLabels, Instances: Instances(g.Select(c => c.Workload)), Certificate: Weakest(g.Select(c => c.Certificate))));
            foreach (var client in clientGroups)
            {
                // Traffic for a subset reaches only the workloads carrying its labels.
                var serverGroups = serverStates
                    .Where(s => client.SubsetLabels is null || client.SubsetLabels.All(l => s.Workload.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
                    .GroupBy(s => (s.Policy.Mode, s.Policy.Source))
                    .Select(g => (g.Key.Mode, g.Key.Source, Instances: Instances(g.Select(s => s.Workload)), Certificate: Weakest(g.Select(s => s.Certificate))));
                foreach (var server in serverGroups)
                {
                    // Auto mTLS sends plaintext to endpoints whose PeerAuthentication is DISABLE (as the control plane marks them).
                    var (shown, origination) = client.Rule is null && client.Origination == ClientOrigination.MeshMtls && server.Mode == MutualTlsMode.Disable
                        ? ("DISABLE (auto: server DISABLE)", ClientOrigination.Plaintext)
                        : (client.Shown, client.Origination);
                    var (status, reason) = Judge(server.Mode, server.Source, server.Certificate, origination, shown, client.Rule);
                    rows.Add(new TlsCheckRow(
                        host, servers.Key.Port, status,
                        server.Mode, server.Source, server.Instances, server.Certificate,
                        shown, origination, client.Rule, client.Instances, client.Certificate,
                        reason));
                }
            }
        }

        return rows;
    }

    private static (string Shown, ClientOrigination Origination) ClientSide(ClientTlsSettings? tls, CertificateState certificate) => tls?.Mode switch
    {
        null when certificate == CertificateState.Absent => ("DISABLE (auto: no certificate)", ClientOrigination.Plaintext),
        null => ("ISTIO_MUTUAL (auto)", ClientOrigination.MeshMtls),
        ClientTlsMode.Disable => ("DISABLE", ClientOrigination.Plaintext),
        ClientTlsMode.IstioMutual when certificate == CertificateState.Absent => ("ISTIO_MUTUAL (no certificate)", ClientOrigination.Fails),
        ClientTlsMode.IstioMutual => ("ISTIO_MUTUAL", ClientOrigination.MeshMtls),
        ClientTlsMode.Simple => ("SIMPLE", ClientOrigination.Simple),
        _ => ("MUTUAL", ClientOrigination.Mutual),
    };

    private static (TlsCheckStatus Status, string? Reason) Judge(MutualTlsMode server, string policy, CertificateState serverCertificate, ClientOrigination client, string shown, string? rule)
    {
        var by = rule is null ? "auto mTLS" : $"DestinationRule {rule}";
        return (client, server) switch
        {
            (ClientOrigination.Fails, _) => (TlsCheckStatus.Conflict, $"clients have no workload certificate and {by} asks for ISTIO_MUTUAL: their connections fail"),
            (ClientOrigination.Plaintext, MutualTlsMode.Strict) => (TlsCheckStatus.Conflict, $"clients send plaintext ({by}: {shown}) but the server is STRICT ({policy}): refused"),
            (ClientOrigination.Plaintext, _) => (TlsCheckStatus.Ok, null),
            (_, MutualTlsMode.Disable) => (TlsCheckStatus.Conflict, $"clients originate TLS ({by}: {shown}) but the server is DISABLE ({policy}) and offers no TLS; set a DestinationRule tls.mode DISABLE for it, or do not disable mTLS"),
            (ClientOrigination.MeshMtls, _) when serverCertificate == CertificateState.Absent => (TlsCheckStatus.Conflict, $"clients originate mTLS ({by}) but the server has no workload certificate: handshakes fail"),
            (ClientOrigination.MeshMtls, _) => (TlsCheckStatus.Ok, null),
            (ClientOrigination.Simple, _) => (TlsCheckStatus.Conflict, $"{by} says SIMPLE: no client certificate, which the server's sidecar requires on TLS; use ISTIO_MUTUAL (or no tls) for mesh services"),
            _ => (TlsCheckStatus.Warning, $"{by} says MUTUAL: accepted only if its client certificate is a mesh workload certificate; use ISTIO_MUTUAL for mesh services"),
        };
    }

    private static IReadOnlyList<string> Instances(IEnumerable<MeshWorkload> workloads) =>
        [.. workloads.Select(w => w.Instance.Length > 0 ? w.Instance : w.ProxyId).Order(StringComparer.Ordinal)];

    private static CertificateState Weakest(IEnumerable<CertificateState> states)
    {
        var all = states.ToList();
        return all.Contains(CertificateState.Absent) ? CertificateState.Absent : all.Contains(CertificateState.Unknown) ? CertificateState.Unknown : CertificateState.Present;
    }
}
