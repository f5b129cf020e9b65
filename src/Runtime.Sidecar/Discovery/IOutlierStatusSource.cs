using Runtime.Abstractions.Discovery;

namespace Runtime.Sidecar.Discovery;

/// <summary>The sidecar's current outlier-detection state, read when reporting endpoint health to the control plane.</summary>
internal interface IOutlierStatusSource
{
    /// <summary>Every endpoint currently ejected or ejected before, across all clusters; empty when none.</summary>
    IReadOnlyList<EndpointOutlierStatus> Current();
}
