using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Listening;

/// <summary>
/// Accepts connections on one socket and tells HTTP/2 with prior knowledge (h2c: gRPC and HTTP/2 clients)
/// from HTTP/1.1 by peeking at the first bytes — nothing is consumed, so the chosen Kestrel endpoint reads the
/// connection from its first byte. Kestrel itself cannot serve both on one cleartext port: without TLS there
/// is no ALPN, so it falls back to HTTP/1.1 only.
/// </summary>
internal sealed partial class ProtocolSniffer : IAsyncDisposable
{
    // Every h2c connection starts with "PRI * HTTP/2.0"; no HTTP/1.1 method starts with "PRI".
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private static readonly TimeSpan SniffTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly Channel<Socket> _http1 = Channel.CreateUnbounded<Socket>();
    private readonly Channel<Socket> _http2 = Channel.CreateUnbounded<Socket>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly Task _acceptLoop;
    private int _listeners;

    public ProtocolSniffer(IPEndPoint address, ILogger logger)
    {
        _logger = logger;
        _socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            _socket.Bind(address);
            _socket.Listen(512);
        }
        catch (SocketException ex)
        {
            _socket.Dispose();
            throw new IOException($"cannot listen on {address}: {ex.Message}", ex);
        }

        BoundAddress = (IPEndPoint)_socket.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The address actually bound (port 0 picks a free one).</summary>
    public IPEndPoint BoundAddress { get; }

    /// <summary>The Kestrel listener for one protocol's connections.</summary>
    public IConnectionListener Listener(SniffedEndPoint endPoint, SocketConnectionContextFactory factory)
    {
        Interlocked.Increment(ref _listeners);
        var channel = endPoint.Protocol == HttpProtocols.Http2 ? _http2 : _http1;
        return new SniffedConnectionListener(new SniffedEndPoint(endPoint.Name, BoundAddress, endPoint.Protocol), channel.Reader, factory, this);
    }

    /// <summary>Called as each listener unbinds; the socket closes when both have.</summary>
    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Decrement(ref _listeners) <= 0)
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _http1.Writer.TryComplete();
        _http2.Writer.TryComplete();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                LogAcceptFailed(_logger, BoundAddress, ex.Message);
                continue;
            }

            accepted.NoDelay = true;
            _ = ClassifyAsync(accepted);
        }
    }

    private async Task ClassifyAsync(Socket socket)
    {
        var peeked = new byte[Preface.Length];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(SniffTimeout);
        try
        {
            var seen = 0;
            while (true)
            {
                seen = await socket.ReceiveAsync(peeked, SocketFlags.Peek, timeout.Token).ConfigureAwait(false);
                var decided = Decide(peeked.AsSpan(0, seen));
                if (decided is { } isHttp2)
                {
                    await (isHttp2 ? _http2 : _http1).Writer.WriteAsync(socket, _stopping.Token).ConfigureAwait(false);
                    return;
                }

                if (seen == 0)
                {
                    // Closed before saying anything.
                    socket.Dispose();
                    return;
                }

                // A partial preface: peeking again would return the same bytes at once, so wait for more.
                await Task.Delay(1, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or ChannelClosedException)
        {
            socket.Dispose();
        }
    }

    /// <summary>True for HTTP/2, false for HTTP/1.x, null while the bytes seen so far could be either.</summary>
    internal static bool? Decide(ReadOnlySpan<byte> first)
    {
        if (first.Length == 0)
        {
            return null;
        }

        var compared = Math.Min(first.Length, Preface.Length);
        if (!first[..compared].SequenceEqual(Preface.AsSpan(0, compared)))
        {
            return false;
        }

        return compared == Preface.Length ? true : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting on {Address} failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, IPEndPoint address, string reason);
}
