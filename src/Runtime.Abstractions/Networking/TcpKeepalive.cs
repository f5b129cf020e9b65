using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>TCP keepalive settings.</summary>
public sealed record TcpKeepalive
{
    /// <summary>Unanswered probes before the connection is dropped.</summary>
    public int? Probes { get; init; }

    /// <summary>Idle time before probes start.</summary>
    public MeshDuration? Time { get; init; }

    /// <summary>Time between probes.</summary>
    public MeshDuration? Interval { get; init; }
}
