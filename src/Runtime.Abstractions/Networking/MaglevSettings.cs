namespace Runtime.Abstractions.Networking;

/// <summary>Maglev parameters.</summary>
public sealed record MaglevSettings
{
    /// <summary>Lookup table size; a prime number.</summary>
    public long? TableSize { get; init; }
}
