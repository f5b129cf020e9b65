namespace Runtime.Silo.Traffic;

/// <summary>The reports one proxy's heartbeats brought within one bucket width, merged per edge.</summary>
/// <param name="start">The start of the bucket (control-plane time, when the reports arrived).</param>
internal sealed class TrafficBucket(DateTimeOffset start)
{
    /// <summary>The start of the bucket.</summary>
    public DateTimeOffset Start { get; } = start;

    /// <summary>Counts per edge.</summary>
    public Dictionary<EdgeKey, EdgeCounts> Edges { get; } = [];

    /// <summary>Merges <paramref name="edges"/> in; returns how many were dropped because the bucket is full.</summary>
    public int Add(IReadOnlyList<KeyValuePair<EdgeKey, EdgeCounts>> edges)
    {
        var dropped = 0;
        foreach (var (key, counts) in edges)
        {
            if (Edges.TryGetValue(key, out var known))
            {
                known.Add(counts);
            }
            else if (Edges.Count < TrafficLimits.MaxEdgesPerBucket)
            {
                Edges.Add(key, counts.Copy());
            }
            else
            {
                dropped++;
            }
        }

        return dropped;
    }
}
