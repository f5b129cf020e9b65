using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Security.Authorization;

namespace Runtime.Cli.Api;

/// <summary>What <c>meshctl x authz check</c> needs to decide as one sidecar would.</summary>
/// <param name="Snapshot">The configuration last pushed to the proxy.</param>
/// <param name="Instance">The proxy's instance name (its id when it has none).</param>
/// <param name="Workload">The proxy's namespace, service and labels, as it registered them.</param>
/// <param name="AppPort">The port <c>destination.port</c> is: the application port behind the sidecar, or its inbound port when it has none.</param>
/// <param name="TrustDomains">The mesh trust domain, then its aliases; empty when the control plane has no CA.</param>
internal sealed record ProxyAuthorizationView(ProxySnapshot Snapshot, string Instance, AuthorizationWorkload Workload, int AppPort, IReadOnlyList<string> TrustDomains);
