using System.Net.Sockets;
using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// Opens upstream connections for a pooled client when <c>connectionPool</c> needs more than SocketsHttpHandler's
/// defaults: TCP keepalive on the socket, and per-connection request counting for <c>maxRequestsPerConnection</c>
/// above 1 on cleartext HTTP/1.1 connections (see <see cref="ConnectionPoolRequestCountingStream"/>).
/// </summary>
/// <param name="Keepalive">Keepalive to set, or null.</param>
/// <param name="MaxRequestsPerConnection">Requests per HTTP/1.1 connection; 0 or 1 means no counting here.</param>
internal sealed record ConnectionPoolConnector(ConnectionPoolKeepalive? Keepalive, int MaxRequestsPerConnection)
{
    /// <summary>SocketsHttpHandler's connect callback.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            Keepalive?.Apply(socket);
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        // The connection's protocol follows the request that opened it: HTTP/2 only for version-2 requests (h2c with
        // prior knowledge). TLS would be layered over this stream, so https connections are never rewritten.
        var initial = context.InitialRequestMessage;
        if (MaxRequestsPerConnection > 1 && initial.Version.Major == 1 && initial.RequestUri?.Scheme == Uri.UriSchemeHttp
            && !initial.Options.TryGetValue(ForwarderClientFactory.TlsOption, out _)) // mTLS: the counter would see ciphertext
        {
            stream = new ConnectionPoolRequestCountingStream(stream, MaxRequestsPerConnection);
        }

        return stream;
    }
}
