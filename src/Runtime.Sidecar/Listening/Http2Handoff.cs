using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Runtime.Sidecar.Listening;

/// <summary>
/// Lets one cleartext port take both HTTP/1.1 and HTTP/2 with prior knowledge (h2c: gRPC and HTTP/2 clients).
/// Kestrel cannot do that itself — without TLS there is no ALPN, so a cleartext HTTP/1.1-and-HTTP/2 endpoint
/// serves HTTP/1.1 only. The port is an HTTP/1.1 endpoint whose connection middleware peeks at the first
/// bytes (consuming nothing); on the HTTP/2 preface it hands the connection to the HTTP/2 pipeline Kestrel
/// built for a companion <see cref="HandoffEndPoint"/>. Both stay on Kestrel's own socket transport.
/// </summary>
internal sealed class Http2Handoff
{
    // Every h2c connection starts with this preface; no HTTP/1.1 method starts with "PRI".
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private static readonly TimeSpan SniffTimeout = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource<ConnectionDelegate> _http2 = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Configures the companion endpoint: HTTP/2 only, with its connection pipeline captured.</summary>
    public void ConfigureHttp2(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Protocols = HttpProtocols.Http2;
        listen.Use(next =>
        {
            // Kestrel appends its HTTP connection handler after these middlewares: 'next' is that handler.
            _http2.TrySetResult(next);
            return next;
        });
    }

    /// <summary>Configures the public endpoint: HTTP/1.1, handing h2c connections over.</summary>
    public void ConfigurePublic(ListenOptions listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Protocols = HttpProtocols.Http1;
        listen.Use(next => connection => RouteAsync(connection, next));
    }

    private async Task RouteAsync(ConnectionContext connection, ConnectionDelegate http1)
    {
        bool http2;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            // Kestrel's own timeouts start only once its HTTP handler runs: bound the wait for the first bytes here.
            timeout.CancelAfter(SniffTimeout);
            try
            {
                http2 = await SniffAsync(connection.Transport.Input, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
            {
                connection.Abort();
                return;
            }
        }

        if (http2)
        {
            var pipeline = await _http2.Task.ConfigureAwait(false);
            await pipeline(connection).ConfigureAwait(false);
        }
        else
        {
            await http1(connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads until the first bytes decide the protocol, consuming and examining nothing, so the chosen pipeline
    /// reads the connection from its first byte. A connection closed before deciding goes to HTTP/1.1, which
    /// handles an empty or truncated request as it always does.
    /// </summary>
    private static async Task<bool> SniffAsync(PipeReader input, CancellationToken cancellationToken)
    {
        var wanted = 1;
        while (true)
        {
            var read = await input.ReadAtLeastAsync(wanted, cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            var first = buffer.Length >= Preface.Length ? buffer.Slice(0, Preface.Length) : buffer;
            var decided = Decide(first.IsSingleSegment ? first.FirstSpan : System.Buffers.BuffersExtensions.ToArray(first));
            input.AdvanceTo(buffer.Start);
            if (decided is { } http2)
            {
                return http2;
            }

            if (read.IsCompleted)
            {
                return false;
            }

            // A partial preface: ask for at least one byte more than we have.
            wanted = (int)buffer.Length + 1;
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
}
