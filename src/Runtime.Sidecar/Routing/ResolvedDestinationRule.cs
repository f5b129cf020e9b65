using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Routing;

/// <summary>The DestinationRule that applies to one service for this sidecar (several same-host rules merged).</summary>
/// <param name="Source">The rule(s) it came from, <c>namespace/name</c>.</param>
/// <param name="TrafficPolicy">The top-level traffic policy, or null.</param>
/// <param name="Subsets">Subsets by name.</param>
internal sealed record ResolvedDestinationRule(string Source, TrafficPolicy? TrafficPolicy, IReadOnlyDictionary<string, Subset> Subsets);
