using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// A connection middleware on the outbound and inbound listeners, after TLS termination and before the
/// HTTP/1.1-or-h2c handoff: a connection whose first bytes are <c>CONNECT </c> is a TCP tunnel and is served here, one
/// tunnel per connection (Kestrel would take a CONNECT as an ordinary request and could not splice it with
/// half-close); anything else goes on to HTTP untouched (nothing is consumed while peeking).
/// </summary>
internal sealed class TcpTunnelListener(TcpOutboundTunnel outbound, TcpInboundTunnel inbound)
{
    private static readonly byte[] Method = "CONNECT "u8.ToArray();

    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The middleware for the listener of <paramref name="kind"/>, for <c>ListenOptions.Use</c>.</summary>
    public Func<ConnectionDelegate, ConnectionDelegate> For(ListenerKind kind) => next => connection => RouteAsync(kind, connection, next);

    private async Task RouteAsync(ListenerKind kind, ConnectionContext connection, ConnectionDelegate next)
    {
        TcpConnectHead? head;
        string? problem;
        // Bounded by a timeout only: ConnectionClosed fires on the caller's FIN, which may follow its CONNECT at once.
        using (var timeout = new CancellationTokenSource(HeadTimeout))
        {
            try
            {
                if (!await IsConnectAsync(connection.Transport.Input, timeout.Token).ConfigureAwait(false))
                {
                    await next(connection).ConfigureAwait(false);
                    return;
                }

                (head, problem) = await TcpConnectHead.ReadAsync(connection.Transport.Input, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
            {
                connection.Abort();
                return;
            }
        }

        if (head is null)
        {
            await TcpTunnelAnswer.RefuseAsync(connection.Transport.Output, StatusCodes.Status400BadRequest, MeshReasons.BadRequest, problem!, CancellationToken.None).ConfigureAwait(false);
            return;
        }

        try
        {
            await (kind == ListenerKind.Inbound ? inbound.HandleAsync(connection, head) : outbound.HandleAsync(connection, head)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The tunnel ended abruptly (a reset on either side): the connection simply closes.
            connection.Abort();
        }
    }

    /// <summary>Peeks (consuming nothing) until the first bytes are or cannot be <c>CONNECT </c>.</summary>
    private static async Task<bool> IsConnectAsync(PipeReader input, CancellationToken cancellationToken)
    {
        var wanted = 1;
        while (true)
        {
            var read = await input.ReadAtLeastAsync(wanted, cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            var first = buffer.Slice(0, Math.Min(buffer.Length, Method.Length)).ToArray();
            input.AdvanceTo(buffer.Start);
            if (!first.AsSpan().SequenceEqual(Method.AsSpan(0, first.Length)))
            {
                return false;
            }

            if (first.Length == Method.Length)
            {
                return true;
            }

            if (read.IsCompleted)
            {
                return false;
            }

            wanted = (int)buffer.Length + 1;
        }
    }
}
