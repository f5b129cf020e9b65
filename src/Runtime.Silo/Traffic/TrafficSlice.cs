namespace Runtime.Silo.Traffic;

/// <summary>What one proxy reported within a graph window.</summary>
/// <param name="ProxyId">The reporting proxy.</param>
/// <param name="Covered">How much of the window its reports cover (rates divide by this).</param>
/// <param name="Edges">Counts per edge, merged over the window.</param>
internal sealed record TrafficSlice(string ProxyId, TimeSpan Covered, IReadOnlyDictionary<EdgeKey, EdgeCounts> Edges);
