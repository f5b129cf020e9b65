namespace Runtime.Abstractions.Networking;

/// <summary>A service (and optionally subset and port) in the registry.</summary>
public sealed record Destination
{
    /// <summary>Service name from the registry or a ServiceEntry.</summary>
    public string? Host { get; init; }

    /// <summary>Subset named in the host's DestinationRule.</summary>
    public string? Subset { get; init; }

    /// <summary>Port on the host; required only when the service exposes several.</summary>
    public PortSelector? Port { get; init; }
}
