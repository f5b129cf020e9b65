namespace Runtime.Abstractions.Networking;

/// <summary>PROXY protocol towards the upstream.</summary>
public sealed record ProxyProtocolSettings
{
    /// <summary><c>V1</c> or <c>V2</c>.</summary>
    public string? Version { get; init; }
}
