using Runtime.Abstractions.Discovery;

namespace Runtime.Sidecar.Routing;

/// <summary>A callable host: a registry service or a ServiceEntry host, with every endpoint (health not yet applied).</summary>
/// <param name="Host">The fully qualified host, or a ServiceEntry wildcard such as <c>*.example.com</c>.</param>
/// <param name="Namespace">The namespace that owns it (the service's or the ServiceEntry's), for DestinationRule lookup.</param>
/// <param name="Endpoints">Its endpoints.</param>
/// <param name="Ports">Declared service ports; empty when unknown.</param>
/// <param name="Passthrough">True for a ServiceEntry with resolution NONE: the default policy is PASSTHROUGH.</param>
internal sealed record CatalogService(string Host, string Namespace, IReadOnlyList<MeshEndpoint> Endpoints, IReadOnlyList<int> Ports, bool Passthrough);
