using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Runtime.Sidecar.Listening;

/// <summary>Hands Kestrel the connections <see cref="ProtocolSniffer"/> classified as this listener's protocol.</summary>
internal sealed class SniffedConnectionListener(SniffedEndPoint endPoint, ChannelReader<Socket> sockets, SocketConnectionContextFactory factory, ProtocolSniffer sniffer) : IConnectionListener
{
    private int _released;

    public EndPoint EndPoint => endPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var socket = await sockets.ReadAsync(cancellationToken).ConfigureAwait(false);
            return factory.Create(socket);
        }
        catch (ChannelClosedException)
        {
            // Unbound: Kestrel stops accepting when this returns null.
            return null;
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => ReleaseAsync();

    public ValueTask DisposeAsync() => ReleaseAsync();

    private ValueTask ReleaseAsync() => Interlocked.Exchange(ref _released, 1) == 0 ? sniffer.ReleaseAsync() : ValueTask.CompletedTask;
}
