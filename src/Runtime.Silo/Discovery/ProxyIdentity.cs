namespace Runtime.Silo.Discovery;

/// <summary>Who a registered sidecar is and where other sidecars reach it (the domain view of the wire identity).</summary>
internal sealed record ProxyIdentity
{
    public required string Service { get; init; }

    public required string Namespace { get; init; }

    public string ServiceAccount { get; init; } = "default";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public required string Address { get; init; }

    public required int InboundPort { get; init; }

    /// <summary>The application's port behind the sidecar; 0 for a client-only workload.</summary>
    public int AppPort { get; init; }

    /// <summary>Stable instance name; <see cref="ProxyIdentityRules.Normalize"/> fills in <c>service-address-port</c>.</summary>
    public string Instance { get; init; } = "";

    public int AdminPort { get; init; }

    /// <summary>Value equality including the labels' contents (a record compares dictionaries by reference).</summary>
    public bool Equals(ProxyIdentity? other) =>
        other is not null
        && Service == other.Service && Namespace == other.Namespace && ServiceAccount == other.ServiceAccount
        && Address == other.Address && InboundPort == other.InboundPort && AppPort == other.AppPort
        && Instance == other.Instance && AdminPort == other.AdminPort
        && Labels.Count == other.Labels.Count
        && Labels.All(p => other.Labels.TryGetValue(p.Key, out var value) && value == p.Value);

    public override int GetHashCode() => HashCode.Combine(Service, Namespace, Address, InboundPort, Instance);
}
