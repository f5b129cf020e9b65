namespace Runtime.Abstractions.Networking;

/// <summary>Selects a port by number.</summary>
public sealed record PortSelector
{
    /// <summary>The port number, 1 to 65535.</summary>
    public int? Number { get; init; }
}
