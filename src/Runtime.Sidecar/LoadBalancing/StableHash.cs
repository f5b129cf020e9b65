namespace Runtime.Sidecar.LoadBalancing;

/// <summary>
/// A 64-bit hash that is the same in every process (unlike <see cref="string.GetHashCode()"/>): FNV-1a over the
/// UTF-16 code units, finished with the MurmurHash3 avalanche so nearby keys spread over the ring.
/// </summary>
internal static class StableHash
{
    /// <summary>Hashes a span of characters.</summary>
    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
