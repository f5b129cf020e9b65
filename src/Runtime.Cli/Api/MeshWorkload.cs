namespace Runtime.Cli.Api;

/// <summary>A registered sidecar as the security commands need it: who it is, what it serves, its certificate.</summary>
/// <param name="ProxyId">The proxy id.</param>
/// <param name="Instance">Instance name, e.g. <c>reviews-v1-1</c>.</param>
/// <param name="Service">Service name.</param>
/// <param name="Namespace">Namespace.</param>
/// <param name="ServiceAccount">Service account it runs as.</param>
/// <param name="Labels">Workload labels (PeerAuthentication selectors and DestinationRule workload selectors match them).</param>
/// <param name="AppPort">The application port behind the sidecar; null for a client-only workload.</param>
/// <param name="Certificate">The certificate its last heartbeat reported; null when it reported none (or the control plane does not relay reports).</param>
internal sealed record MeshWorkload(
    string ProxyId, string Instance, string Service, string Namespace, string ServiceAccount,
    IReadOnlyDictionary<string, string> Labels, int? AppPort, ReportedCertificate? Certificate);
