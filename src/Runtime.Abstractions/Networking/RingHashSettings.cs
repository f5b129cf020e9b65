namespace Runtime.Abstractions.Networking;

/// <summary>Ring hash parameters.</summary>
public sealed record RingHashSettings
{
    /// <summary>Minimum number of virtual nodes on the ring.</summary>
    public long? MinimumRingSize { get; init; }
}
