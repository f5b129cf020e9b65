namespace Runtime.Abstractions.Networking;

/// <summary>Traffic shares from one origin locality.</summary>
public sealed record LocalityDistribution
{
    /// <summary>Origin locality, for example <c>us-west/zone1/*</c>.</summary>
    public string? From { get; init; }

    /// <summary>Destination localities and their shares, summing to 100.</summary>
    public IReadOnlyDictionary<string, int>? To { get; init; }
}
