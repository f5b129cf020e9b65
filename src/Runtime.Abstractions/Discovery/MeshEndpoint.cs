namespace Runtime.Abstractions.Discovery;

/// <summary>One instance of a service: where its sidecar takes mesh traffic, and what it is.</summary>
public sealed record MeshEndpoint
{
    /// <summary>The address other sidecars connect to.</summary>
    public required string Address { get; init; }

    /// <summary>The sidecar's inbound port (or, for a ServiceEntry endpoint, the service's own port).</summary>
    public required int Port { get; init; }

    /// <summary>Workload labels (<c>app</c>, <c>version</c>, ...) that subsets select on.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Current health.</summary>
    public EndpointHealth Health { get; init; } = EndpointHealth.Healthy;

    /// <summary>The registered proxy serving this endpoint; empty for ServiceEntry endpoints.</summary>
    public string ProxyId { get; init; } = "";

    /// <summary>The workload's service account (its identity).</summary>
    public string ServiceAccount { get; init; } = "default";

    /// <summary>A readable instance name, such as <c>reviews-v2-1</c>.</summary>
    public string Instance { get; init; } = "";

    /// <summary>
    /// The workload's PeerAuthentication resolves to DISABLE for its port, so auto mTLS sends it plaintext (a
    /// DestinationRule <c>tls</c> still decides explicitly). False for ServiceEntry endpoints.
    /// </summary>
    public bool MtlsDisabled { get; init; }
}
