using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Security;

/// <summary>The spec of a PeerAuthentication: which mutual TLS mode a workload accepts.</summary>
public sealed record PeerAuthenticationSpec
{
    /// <summary>Workloads it applies to; all in the namespace when omitted.</summary>
    public WorkloadSelector? Selector { get; init; }

    /// <summary>Mode for all ports.</summary>
    public MutualTls? Mtls { get; init; }

    /// <summary>Per-port modes; needs a selector.</summary>
    public IReadOnlyDictionary<int, MutualTls>? PortLevelMtls { get; init; }
}
