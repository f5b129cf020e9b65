namespace Runtime.Abstractions.Networking;

/// <summary>Another VirtualService that routes on behalf of this rule.</summary>
public sealed record RouteDelegation
{
    /// <summary>Name of the delegate VirtualService.</summary>
    public string? Name { get; init; }

    /// <summary>Namespace of the delegate; this resource's namespace when omitted.</summary>
    public string? Namespace { get; init; }
}
