using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>The spec of a ServiceEntry: adds a service to the mesh registry.</summary>
public sealed record ServiceEntrySpec
{
    /// <summary>Hosts of the service.</summary>
    public IReadOnlyList<string>? Hosts { get; init; }

    /// <summary>Virtual IPs or CIDRs of the service.</summary>
    public IReadOnlyList<string>? Addresses { get; init; }

    /// <summary>Ports of the service.</summary>
    public IReadOnlyList<ServicePort>? Ports { get; init; }

    /// <summary>Whether the service is inside the mesh.</summary>
    public ServiceLocation? Location { get; init; }

    /// <summary>How endpoints are found.</summary>
    public ServiceResolution? Resolution { get; init; }

    /// <summary>Explicit endpoints.</summary>
    public IReadOnlyList<WorkloadEntry>? Endpoints { get; init; }

    /// <summary>Selects mesh workloads as endpoints.</summary>
    public ServiceEntryWorkloadSelector? WorkloadSelector { get; init; }

    /// <summary>Namespaces the entry is visible to.</summary>
    public IReadOnlyList<string>? ExportTo { get; init; }

    /// <summary>Accepted server identities.</summary>
    public IReadOnlyList<string>? SubjectAltNames { get; init; }
}
