namespace Runtime.Abstractions.Networking;

/// <summary>Conditions on a TCP connection.</summary>
public sealed record L4MatchAttributes
{
    /// <summary>Destination IPs or CIDRs.</summary>
    public IReadOnlyList<string>? DestinationSubnets { get; init; }

    /// <summary>Destination port.</summary>
    public int? Port { get; init; }

    /// <summary>Labels of the sending workload.</summary>
    public IReadOnlyDictionary<string, string>? SourceLabels { get; init; }

    /// <summary>Restricts the match to these gateways.</summary>
    public IReadOnlyList<string>? Gateways { get; init; }

    /// <summary>Namespace of the sending workload.</summary>
    public string? SourceNamespace { get; init; }
}
