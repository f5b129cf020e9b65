using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>TCP connection limits.</summary>
public sealed record TcpConnectionPool
{
    /// <summary>Maximum connections to the destination.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>TCP connect timeout.</summary>
    public MeshDuration? ConnectTimeout { get; init; }

    /// <summary>Keepalive probes.</summary>
    public TcpKeepalive? TcpKeepalive { get; init; }

    /// <summary>Maximum lifetime of a connection.</summary>
    public MeshDuration? MaxConnectionDuration { get; init; }

    /// <summary>Idle timeout of a connection.</summary>
    public MeshDuration? IdleTimeout { get; init; }
}
