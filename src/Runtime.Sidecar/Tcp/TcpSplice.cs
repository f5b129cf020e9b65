using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Runtime.Sidecar.Metrics;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// Moves a tunnel's bytes both ways between the downstream connection (Kestrel's pipes) and the upstream stream,
/// counting them as they flow. Half-close: when the downstream ends its side, the upstream gets that end
/// (a TCP FIN, or TLS close_notify) and bytes keep flowing back until the upstream
/// ends too; when the upstream ends first, the whole connection ends once its last bytes are delivered.
/// </summary>
internal static class TcpSplice
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>
    /// Splices until both directions are done, or either fails. Not bound to Kestrel's <c>ConnectionClosed</c>: that
    /// fires on the downstream's FIN, which here is a half-close to carry, not the end of the tunnel.
    /// </summary>
    public static async Task RunAsync(IDuplexPipe downstream, Stream upstream, Func<ValueTask> halfCloseUpstream, TcpConnectionTally tally, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(halfCloseUpstream);
        ArgumentNullException.ThrowIfNull(tally);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var up = ToUpstreamAsync(downstream.Input, upstream, halfCloseUpstream, tally, stop.Token);
        var down = ToDownstreamAsync(upstream, downstream.Output, tally, stop.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        if (first == up && await up.ConfigureAwait(false))
        {
            // The downstream ended its side cleanly: the upstream may still answer.
            await down.ConfigureAwait(false);
            return;
        }

        // The upstream ended (or a direction failed): stop the other direction.
        await stop.CancelAsync().ConfigureAwait(false);
        downstream.Input.CancelPendingRead();
        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    /// <summary>True when the downstream ended its side cleanly and the upstream was told.</summary>
    private static async Task<bool> ToUpstreamAsync(PipeReader input, Stream upstream, Func<ValueTask> halfCloseUpstream, TcpConnectionTally tally, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (read.IsCanceled)
                {
                    return false;
                }

                foreach (var segment in read.Buffer)
                {
                    await upstream.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
                    tally.AddReceived(segment.Length);
                }

                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    await upstream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    await halfCloseUpstream().ConfigureAwait(false);
                    return true;
                }
            }
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            return false;
        }
    }

    private static async Task ToDownstreamAsync(Stream upstream, PipeWriter output, TcpConnectionTally tally, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var memory = output.GetMemory(ChunkSize);
                var count = await upstream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    return;
                }

                output.Advance(count);
                tally.AddSent(count);
                var flushed = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            // A reset or a cancelled read ends this direction like a close.
        }
    }

    private static bool IsConnectionEnd(Exception ex) =>
        ex is IOException or OperationCanceledException or ObjectDisposedException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException
            or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException;
}
