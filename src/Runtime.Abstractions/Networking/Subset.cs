namespace Runtime.Abstractions.Networking;

/// <summary>A named group of endpoints of a service.</summary>
public sealed record Subset
{
    /// <summary>Subset name used by routes.</summary>
    public string? Name { get; init; }

    /// <summary>Endpoint labels that select the subset.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Overrides the rule-level policy for this subset.</summary>
    public TrafficPolicy? TrafficPolicy { get; init; }
}
