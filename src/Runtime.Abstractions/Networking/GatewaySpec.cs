namespace Runtime.Abstractions.Networking;

/// <summary>The spec of a Gateway: listeners of an edge proxy.</summary>
public sealed record GatewaySpec
{
    /// <summary>Labels of the gateway pods this applies to.</summary>
    public IReadOnlyDictionary<string, string>? Selector { get; init; }

    /// <summary>Listeners.</summary>
    public IReadOnlyList<Server>? Servers { get; init; }
}
