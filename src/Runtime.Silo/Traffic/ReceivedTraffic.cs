namespace Runtime.Silo.Traffic;

/// <summary>One heartbeat's traffic report, checked and mapped from the wire.</summary>
/// <param name="Covered">How long the report covers (its window as the proxy measured it).</param>
/// <param name="Edges">Counts per edge; edges that failed the checks are not here.</param>
/// <param name="Dropped">Edges refused by the checks (negative counts, wrong bucket count).</param>
/// <param name="Session">The reporting sidecar process's session ("" when not given).</param>
/// <param name="Sequence">The report's number within <paramref name="Session"/>; 0 when not numbered.</param>
internal sealed record ReceivedTraffic(TimeSpan Covered, IReadOnlyList<KeyValuePair<EdgeKey, EdgeCounts>> Edges, int Dropped, string Session = "", ulong Sequence = 0);
