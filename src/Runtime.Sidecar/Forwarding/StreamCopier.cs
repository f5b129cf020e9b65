using System.Buffers;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// Copies a body from one stream to another through one pooled buffer, so memory stays bounded whatever the size.
/// Flushes the destination whenever the next read would wait, which keeps streaming (SSE, gRPC, bidi) responsive
/// without a flush per chunk during bulk transfers.
/// </summary>
internal static class StreamCopier
{
    /// <summary>The pooled buffer size; large enough for loopback bulk throughput.</summary>
    public const int BufferSize = 64 * 1024;

    /// <summary>
    /// Copies until <paramref name="source"/> ends. Never throws: the result says which side failed, with the
    /// exception, and how many bytes were written to <paramref name="destination"/> (the body size on the wire, for
    /// the request metrics). <paramref name="cancellation"/> is cancelled if a flush fails so the read started alongside it
    /// completes.
    /// </summary>
    /// <param name="source">The stream to read to its end.</param>
    /// <param name="destination">The stream to write to.</param>
    /// <param name="cancellation">Cancels the copy; owned by the caller.</param>
    /// <param name="flushFirst">Flush before the first read that would wait, even with nothing written (sends response headers early).</param>
    public static async ValueTask<(StreamCopyResult Result, Exception? Error, long Written)> CopyAsync(
        Stream source, Stream destination, bool flushFirst, CancellationTokenSource cancellation)
    {
        var token = cancellation.Token;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var unflushed = flushFirst;
        var written = 0L;
        try
        {
            while (true)
            {
                int read;
                ValueTask<int> pendingRead;
                try
                {
                    pendingRead = source.ReadAsync(buffer.AsMemory(), token);
                }
                catch (Exception ex)
                {
                    return (Classify(ex, StreamCopyResult.SourceFailed, token), ex, written);
                }

                Exception? flushError = null;
                if (unflushed && !pendingRead.IsCompleted)
                {
                    unflushed = false;
                    try
                    {
                        await destination.FlushAsync(token).ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        flushError = ex;
                        await CancelQuietlyAsync(cancellation).ConfigureAwait(false);
                    }
                }

                try
                {
                    read = await pendingRead.ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    return flushError is not null
                        ? (Classify(flushError, StreamCopyResult.DestinationFailed, token), flushError, written)
                        : (Classify(ex, StreamCopyResult.SourceFailed, token), ex, written);
                }

                if (flushError is not null)
                {
                    return (Classify(flushError, StreamCopyResult.DestinationFailed, token), flushError, written);
                }

                if (read == 0)
                {
                    if (unflushed)
                    {
                        try
                        {
                            await destination.FlushAsync(token).ConfigureAwait(false);
                        }
                        catch (Exception ex)
                        {
                            return (Classify(ex, StreamCopyResult.DestinationFailed, token), ex, written);
                        }
                    }

                    return (StreamCopyResult.Completed, null, written);
                }

                try
                {
                    await destination.WriteAsync(buffer.AsMemory(0, read), token).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    return (Classify(ex, StreamCopyResult.DestinationFailed, token), ex, written);
                }

                written += read;
                unflushed = true;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static StreamCopyResult Classify(Exception error, StreamCopyResult failure, CancellationToken token) =>
        error is OperationCanceledException && token.IsCancellationRequested ? StreamCopyResult.Canceled : failure;

    private static async ValueTask CancelQuietlyAsync(CancellationTokenSource cancellation)
    {
        try
        {
            await cancellation.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
