using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// DestinationRule <c>connectionPool.tcp</c> as it applies to one tunnel: <c>idleTimeout</c> (no bytes either way for
/// that long closes it; Envoy's TCP proxy default is 1 h, <c>0s</c> turns it off), <c>maxConnectionDuration</c>
/// (closed that long after it opened; none by default) and <c>tcpKeepalive</c> for the upstream socket.
/// </summary>
/// <param name="Idle">The idle timeout, or null for none.</param>
/// <param name="MaxDuration">The longest a tunnel stays open, or null for no limit.</param>
/// <param name="Keepalive">SO_KEEPALIVE settings for the upstream socket, or null to leave them off.</param>
internal sealed record TcpTunnelTimeouts(TimeSpan? Idle, TimeSpan? MaxDuration, ConnectionPoolKeepalive? Keepalive)
{
    /// <summary>Envoy's TCP proxy idle timeout when none is configured.</summary>
    public static readonly TimeSpan DefaultIdle = TimeSpan.FromHours(1);

    /// <summary>The defaults: 1 h idle timeout, no duration limit, no keepalive.</summary>
    public static readonly TcpTunnelTimeouts Default = new(DefaultIdle, null, null);

    /// <summary>The settings of <paramref name="tcp"/> (a DestinationRule's <c>connectionPool.tcp</c>, or null).</summary>
    public static TcpTunnelTimeouts For(TcpConnectionPool? tcp) => tcp is null ? Default : new(
        tcp.IdleTimeout?.Value is { } idle ? (idle > TimeSpan.Zero ? idle : null) : DefaultIdle,
        tcp.MaxConnectionDuration?.Value is { } max && max > TimeSpan.Zero ? max : null,
        ConnectionPoolKeepalive.From(tcp.TcpKeepalive));
}
