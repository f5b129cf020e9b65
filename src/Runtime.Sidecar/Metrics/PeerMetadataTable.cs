using System.Collections.Concurrent;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// Parsed <see cref="PeerMetadata"/> header values, interned per distinct value so a request looks its caller up
/// with one hash of the header string and no allocation. The table is bounded: once full, values it has not seen
/// are ignored (the caller is then labelled from its certificate alone), which also bounds the series a peer can
/// create by varying its metadata.
/// </summary>
internal sealed class PeerMetadataTable(int capacity = PeerMetadataTable.DefaultCapacity)
{
    /// <summary>Distinct header values kept; a mesh has one per workload version.</summary>
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<string, PeerMetadata?> _values = new(StringComparer.Ordinal);

    /// <summary>The metadata in <paramref name="header"/>; null when malformed, or unseen once the table is full.</summary>
    public PeerMetadata? Lookup(string header)
    {
        if (_values.TryGetValue(header, out var known))
        {
            return known;
        }

        if (_values.Count >= capacity || header.Length > PeerMetadata.MaxLength)
        {
            return null;
        }

        // Malformed values are remembered too (as null), so a bad caller does not cost a parse per request.
        return _values.GetOrAdd(header, static h => PeerMetadata.Parse(h));
    }
}
