using System.Net.Sockets;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// <c>tcp.tcpKeepalive</c>: SO_KEEPALIVE on every upstream socket, with the idle time, probe interval and probe
/// count when given (otherwise the OS defaults, on Linux 2 h, 75 s and 9). Applied by connecting the socket
/// ourselves in SocketsHttpHandler's connect callback (<see cref="ConnectionPoolConnector"/>).
/// </summary>
/// <param name="Time">Idle time before the first probe, or null for the OS default.</param>
/// <param name="Interval">Time between probes, or null for the OS default.</param>
/// <param name="Probes">Unanswered probes before the connection is dropped, or null for the OS default.</param>
internal sealed record ConnectionPoolKeepalive(TimeSpan? Time, TimeSpan? Interval, int? Probes)
{
    /// <summary>The keepalive for <paramref name="keepalive"/>, or null when the block is absent.</summary>
    public static ConnectionPoolKeepalive? From(TcpKeepalive? keepalive) =>
        keepalive is null ? null : new ConnectionPoolKeepalive(keepalive.Time?.Value, keepalive.Interval?.Value, keepalive.Probes);

    /// <summary>Sets the keepalive options on <paramref name="socket"/>.</summary>
    public void Apply(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        if (Time is { } time)
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, Seconds(time));
        }

        if (Interval is { } interval)
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, Seconds(interval));
        }

        if (Probes is > 0 and var probes)
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, probes);
        }
    }

    // The socket options take whole seconds; anything shorter rounds up to 1 s rather than to "off".
    private static int Seconds(TimeSpan value) => (int)Math.Clamp(Math.Ceiling(value.TotalSeconds), 1, int.MaxValue);
}
