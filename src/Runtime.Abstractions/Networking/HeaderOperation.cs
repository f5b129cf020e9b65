namespace Runtime.Abstractions.Networking;

/// <summary>Sets, appends and removes headers.</summary>
public sealed record HeaderOperation
{
    /// <summary>Overwrites these headers.</summary>
    public IReadOnlyDictionary<string, string>? Set { get; init; }

    /// <summary>Appends these headers.</summary>
    public IReadOnlyDictionary<string, string>? Add { get; init; }

    /// <summary>Removes these headers.</summary>
    public IReadOnlyList<string>? Remove { get; init; }
}
