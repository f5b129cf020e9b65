using Microsoft.Extensions.Logging;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// How a tunnel closed by a timeout is reported, as Envoy's TCP proxy does: <c>maxConnectionDuration</c> sets the
/// <c>DT</c> response flag (on the closed-connections count and the access-log line); the idle timeout sets none,
/// so it is told in the sidecar's log.
/// </summary>
internal static partial class TcpTunnelEnds
{
    /// <summary>The response flags to close with after <paramref name="end"/>; <paramref name="flags"/> when no timeout fired.</summary>
    public static string Report(ILogger logger, TcpSpliceEnd end, string authority, TcpTunnelTimeouts timeouts, string flags)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeouts);
        switch (end)
        {
            case TcpSpliceEnd.IdleTimeout:
                LogIdle(logger, authority, timeouts.Idle ?? TimeSpan.Zero);
                return flags;
            case TcpSpliceEnd.DurationTimeout:
                LogDuration(logger, authority, timeouts.MaxDuration ?? TimeSpan.Zero);
                return MeshReasons.DurationTimeout;
            default:
                return flags;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TCP tunnel to {Authority} closed: no bytes either way for {Idle} (connectionPool.tcp.idleTimeout)")]
    private static partial void LogIdle(ILogger logger, string authority, TimeSpan idle);

    [LoggerMessage(Level = LogLevel.Information, Message = "TCP tunnel to {Authority} closed after {Duration} (connectionPool.tcp.maxConnectionDuration, DT)")]
    private static partial void LogDuration(ILogger logger, string authority, TimeSpan duration);
}
