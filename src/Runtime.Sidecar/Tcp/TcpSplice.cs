using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Runtime.Sidecar.Metrics;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// Moves a tunnel's bytes both ways between the downstream connection (Kestrel's pipes) and the upstream stream,
/// counting them as they flow. Half-close both ways: when the downstream ends its side, the upstream gets that end
/// (a TCP FIN, or TLS close_notify) and bytes keep flowing back until the upstream ends too; when the upstream ends
/// first, the downstream gets a FIN after the last bytes and its bytes keep flowing up until it ends too (where the
/// downstream cannot be half-closed, <see cref="TcpDownstream.HalfClose"/>, the connection ends there).
/// The idle timeout and <c>maxConnectionDuration</c> (<see cref="TcpTunnelTimeouts"/>) end it early.
/// </summary>
internal static class TcpSplice
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>The longest single wait of the watch (Task.Delay refuses ~49 days and more); it just looks again.</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    /// <summary>
    /// Splices until both directions are done, either fails, or a timeout of <paramref name="timeouts"/> fires. Not
    /// bound to Kestrel's <c>ConnectionClosed</c>: that fires on the downstream's FIN, which here is a half-close to
    /// carry, not the end of the tunnel.
    /// </summary>
    public static async Task<TcpSpliceEnd> RunAsync(TcpDownstream downstream, Stream upstream, Func<ValueTask> halfCloseUpstream, TcpConnectionTally tally, TcpTunnelTimeouts timeouts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(downstream);
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(halfCloseUpstream);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(timeouts);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var activity = new TunnelActivity(Stopwatch.GetTimestamp());
        var splice = SpliceAsync(downstream, upstream, halfCloseUpstream, tally, activity, stop);
        if (timeouts.Idle is null && timeouts.MaxDuration is null)
        {
            await splice.ConfigureAwait(false);
            return TcpSpliceEnd.Finished;
        }

        using var unwatch = new CancellationTokenSource();
        var watch = WatchAsync(timeouts, activity, unwatch.Token);
        if (await Task.WhenAny(splice, watch).ConfigureAwait(false) == watch)
        {
            // A timeout: both directions stop and the caller closes both connections (Envoy closes with NoFlush).
            await stop.CancelAsync().ConfigureAwait(false);
            downstream.Input.CancelPendingRead();
            await splice.ConfigureAwait(false);
            return await watch.ConfigureAwait(false);
        }

        await unwatch.CancelAsync().ConfigureAwait(false);
        await watch.ConfigureAwait(false);
        await splice.ConfigureAwait(false);
        return TcpSpliceEnd.Finished;
    }

    private static async Task SpliceAsync(TcpDownstream downstream, Stream upstream, Func<ValueTask> halfCloseUpstream, TcpConnectionTally tally, TunnelActivity activity, CancellationTokenSource stop)
    {
        var up = ToUpstreamAsync(downstream.Input, upstream, halfCloseUpstream, tally, activity, stop.Token);
        var down = ToDownstreamAsync(upstream, downstream.Output, tally, activity, stop.Token);
        var first = await Task.WhenAny(up, down).ConfigureAwait(false);
        if (first == up && await up.ConfigureAwait(false))
        {
            // The downstream ended its side cleanly: the upstream may still answer.
            await down.ConfigureAwait(false);
            return;
        }

        if (first == down && await down.ConfigureAwait(false) && downstream.HalfClose is { } halfCloseDownstream && await TryAsync(halfCloseDownstream).ConfigureAwait(false))
        {
            // The upstream ended its side cleanly and the downstream was told: it may still send.
            await up.ConfigureAwait(false);
            return;
        }

        // The upstream ended (or a direction failed): stop the other direction.
        await stop.CancelAsync().ConfigureAwait(false);
        downstream.Input.CancelPendingRead();
        await Task.WhenAll(up, down).ConfigureAwait(false);
    }

    /// <summary>Completes with the timeout that fired; with <see cref="TcpSpliceEnd.Finished"/> when unwatched first.</summary>
    private static async Task<TcpSpliceEnd> WatchAsync(TcpTunnelTimeouts timeouts, TunnelActivity activity, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var now = Stopwatch.GetTimestamp();
                var wait = LongestWait;
                if (timeouts.MaxDuration is { } max)
                {
                    var left = max - Stopwatch.GetElapsedTime(activity.Start, now);
                    if (left <= TimeSpan.Zero)
                    {
                        return TcpSpliceEnd.DurationTimeout;
                    }

                    wait = left;
                }

                if (timeouts.Idle is { } idle)
                {
                    var left = idle - Stopwatch.GetElapsedTime(activity.Last, now);
                    if (left <= TimeSpan.Zero)
                    {
                        return TcpSpliceEnd.IdleTimeout;
                    }

                    wait = left < wait ? left : wait;
                }

                // Bytes may have flowed meanwhile: wake at the earliest deadline and look again.
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            return TcpSpliceEnd.Finished;
        }
    }

    /// <summary>True when the downstream ended its side cleanly and the upstream was told.</summary>
    private static async Task<bool> ToUpstreamAsync(PipeReader input, Stream upstream, Func<ValueTask> halfCloseUpstream, TcpConnectionTally tally, TunnelActivity activity, CancellationToken cancellationToken)
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
                activity.Touch();
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

    /// <summary>True when the upstream ended its side cleanly and every byte was written to the downstream.</summary>
    private static async Task<bool> ToDownstreamAsync(Stream upstream, Stream output, TcpConnectionTally tally, TunnelActivity activity, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                var count = await upstream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    return true;
                }

                await output.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                tally.AddSent(count);
                activity.Touch();
            }
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            // A reset or a cancelled read ends this direction like a close.
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<bool> TryAsync(Func<ValueTask> halfClose)
    {
        try
        {
            await halfClose().ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (IsConnectionEnd(ex))
        {
            return false;
        }
    }

    private static bool IsConnectionEnd(Exception ex) =>
        ex is IOException or OperationCanceledException or ObjectDisposedException or ConnectionResetException or ConnectionAbortedException or InvalidOperationException
            or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException;

    /// <summary>When the tunnel opened and when bytes last moved either way (Stopwatch timestamps).</summary>
    private sealed class TunnelActivity(long start)
    {
        private long _last = start;

        public long Start { get; } = start;

        public long Last => Volatile.Read(ref _last);

        public void Touch() => Volatile.Write(ref _last, Stopwatch.GetTimestamp());
    }
}
