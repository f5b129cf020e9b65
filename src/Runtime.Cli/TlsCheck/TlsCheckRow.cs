using Runtime.Abstractions.Security;

namespace Runtime.Cli.TlsCheck;

/// <summary>One line of <c>meshctl x tls-check</c>: a service port, a group of its workloads and a group of clients that agree.</summary>
/// <param name="Host">The service host, <c>reviews.bookinfo.svc.cluster.local</c>.</param>
/// <param name="Port">The workload (app) port.</param>
/// <param name="Status">Whether the client side and the server side agree.</param>
/// <param name="ServerMode">The effective inbound mode (never UNSET).</param>
/// <param name="AuthnPolicy">The PeerAuthentication that decided it (<c>ns/name</c>, <c>ns/name port N</c>) or <c>default</c>.</param>
/// <param name="Servers">Instances of the service with this mode.</param>
/// <param name="ServerCertificates">Whether those instances hold certificates (the weakest state among them).</param>
/// <param name="Client">What the clients put on the wire, as shown: <c>ISTIO_MUTUAL (auto)</c>, <c>DISABLE</c>, ...</param>
/// <param name="Origination">The same, as a kind.</param>
/// <param name="DestinationRule">The DestinationRule(s) that decided the client side, or null for auto mTLS without one.</param>
/// <param name="Clients">The client instances in this group.</param>
/// <param name="ClientCertificates">Whether those clients hold certificates (the weakest state among them).</param>
/// <param name="Reason">Why the status is not OK; null when it is.</param>
internal sealed record TlsCheckRow(
    string Host, int Port, TlsCheckStatus Status,
    MutualTlsMode ServerMode, string AuthnPolicy, IReadOnlyList<string> Servers, CertificateState ServerCertificates,
    string Client, ClientOrigination Origination, string? DestinationRule, IReadOnlyList<string> Clients, CertificateState ClientCertificates,
    string? Reason);
