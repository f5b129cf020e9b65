using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Security.Authorization;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Configuration;

/// <summary>One applied configuration: the snapshot and the route table compiled from it. Immutable.</summary>
/// <param name="Snapshot">The snapshot as received.</param>
/// <param name="Routes">The route table compiled from it.</param>
/// <param name="AppliedAt">When it was swapped in.</param>
/// <param name="Source">Where it came from: "control-plane" or "persisted".</param>
internal sealed record ProxyState(ProxySnapshot Snapshot, RouteTable Routes, DateTimeOffset AppliedAt, string Source)
{
    /// <summary>The AuthorizationPolicies that apply to this workload, compiled from the same snapshot.</summary>
    public AuthorizationEvaluator Authorization { get; init; } = AuthorizationEvaluator.Empty;
}
