namespace Runtime.Silo.Traffic;

/// <summary>One graph edge being summed up from the proxies' reports.</summary>
internal sealed class EdgeTotals
{
    /// <summary>The merged counts.</summary>
    public EdgeCounts Counts { get; } = new();

    /// <summary>Sum of each reporting proxy's rate (its requests over the time its reports cover).</summary>
    public double Rps { get; private set; }

    /// <summary>Requests per destination host.</summary>
    public Dictionary<string, long> ByDestinationService { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests per protocol.</summary>
    public Dictionary<string, long> ByProtocol { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds one proxy's counts for one of its edges, reported over <paramref name="covered"/>.</summary>
    public void Add(EdgeKey key, EdgeCounts counts, TimeSpan covered)
    {
        Counts.Add(counts);
        Rps += counts.Requests / covered.TotalSeconds;
        ByDestinationService[key.DestinationService] = ByDestinationService.GetValueOrDefault(key.DestinationService) + counts.Requests;
        ByProtocol[key.Protocol] = ByProtocol.GetValueOrDefault(key.Protocol) + counts.Requests;
    }

    /// <summary>The key of <paramref name="counts"/> with the most requests (ordinal order breaks ties).</summary>
    public static string Busiest(Dictionary<string, long> counts) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key;
}
