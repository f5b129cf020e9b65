namespace Runtime.Abstractions.Networking;

/// <summary>An endpoint of a ServiceEntry.</summary>
public sealed record WorkloadEntry
{
    /// <summary>IP, DNS name or unix socket.</summary>
    public string? Address { get; init; }

    /// <summary>Port name to endpoint port.</summary>
    public IReadOnlyDictionary<string, int>? Ports { get; init; }

    /// <summary>Endpoint labels.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Network the endpoint is on.</summary>
    public string? Network { get; init; }

    /// <summary>Region/zone/subzone.</summary>
    public string? Locality { get; init; }

    /// <summary>Load-balancing weight.</summary>
    public int? Weight { get; init; }

    /// <summary>Identity of the endpoint.</summary>
    public string? ServiceAccount { get; init; }
}
