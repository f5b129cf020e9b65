namespace Runtime.Abstractions.Networking;

/// <summary>Tunnels upstream connections through a proxy.</summary>
public sealed record TunnelSettings
{
    /// <summary><c>CONNECT</c> or <c>POST</c>.</summary>
    public string? Protocol { get; init; }

    /// <summary>Host of the tunnel endpoint.</summary>
    public string? TargetHost { get; init; }

    /// <summary>Port of the tunnel endpoint.</summary>
    public int? TargetPort { get; init; }
}
