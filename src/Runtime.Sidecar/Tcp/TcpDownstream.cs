using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// The downstream side of a tunnel (the connection that asked for it). Reads come from the connection's transport.
/// On plain TCP, writes go straight to its socket rather than through Kestrel's output pipe, whose sender works
/// behind the flush: only then is every byte on the socket when the end of the upstream is passed on as a FIN
/// (<see cref="HalfClose"/>). Inside the mTLS the server sidecar terminates, writes go through the decrypted transport
/// (each write reaches the TLS stream before it completes) and the end of the upstream is passed on as a TLS
/// <c>close_notify</c> (<see cref="ITransportHalfClose"/>).
/// </summary>
internal sealed class TcpDownstream(PipeReader input, Stream output, Func<ValueTask>? halfClose) : IAsyncDisposable
{
    /// <summary>The bytes the downstream sends.</summary>
    public PipeReader Input { get; } = input;

    /// <summary>Where the bytes for the downstream are written (each write is on its way when it completes).</summary>
    public Stream Output { get; } = output;

    /// <summary>Ends the downstream's receiving side (a FIN, or close_notify) while it may still send, or null when it
    /// cannot be done.</summary>
    public Func<ValueTask>? HalfClose { get; } = halfClose;

    /// <summary>The downstream of <paramref name="connection"/>; must be taken before anything of the tunnel is written.</summary>
    public static TcpDownstream For(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.Features.Get<TlsPeerConnection>() is not null)
        {
            var tls = connection.Features.Get<ITransportHalfClose>();
            return new TcpDownstream(connection.Transport.Input, connection.Transport.Output.AsStream(leaveOpen: true), tls is null ? null : tls.ShutdownSendAsync);
        }

        return connection.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket
            ? new TcpDownstream(connection.Transport.Input, new NetworkStream(socket, ownsSocket: false), () => ShutdownSend(socket))
            : new TcpDownstream(connection.Transport.Input, connection.Transport.Output.AsStream(leaveOpen: true), null);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Output.DisposeAsync();

    private static ValueTask ShutdownSend(Socket socket)
    {
        socket.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }
}
