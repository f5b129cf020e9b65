using System.Net;

namespace Runtime.Sidecar.Forwarding;

/// <summary>
/// The downstream request body as upstream request content: streamed, never buffered, sent at most once. It is
/// duplex: SocketsHttpHandler's HTTP/2 path returns the response while this is still copying, so request and
/// response bodies flow concurrently (gRPC bidirectional streams).
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private const int NotStarted = 0;
    private const int Copying = 1;
    private const int Stopped = 2;

    private readonly Stream _body;
    private readonly CancellationToken _forwardToken;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _copyCancellation;
    private bool _stopRequested;
    private int _state;

    public StreamingRequestContent(Stream body, CancellationToken forwardToken)
    {
        _body = body;
        _forwardToken = forwardToken;
    }

    /// <summary>The exception from reading the downstream body (client aborted or malformed), if that failed.</summary>
    public Exception? DownstreamError { get; private set; }

    /// <summary>The exception from writing the upstream request body, if that failed.</summary>
    public Exception? UpstreamError { get; private set; }

    /// <summary>Whether the downstream body was copied to its end.</summary>
    public bool Completed { get; private set; }

    /// <summary>The body bytes written upstream so far (read once the copy finished, i.e. after <see cref="StopAsync"/>).</summary>
    public long BytesCopied { get; private set; }

    /// <summary>
    /// Stops a copy that is still running (the upstream answered without reading the whole body) and waits for it,
    /// so the downstream request body is never touched after the forwarder returns.
    /// </summary>
    public async ValueTask StopAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Stopped, NotStarted) == NotStarted)
        {
            return;
        }

        if (!_finished.Task.IsCompleted)
        {
            CancellationTokenSource? cancellation;
            lock (_finished)
            {
                _stopRequested = true;
                cancellation = _copyCancellation;
            }

            if (cancellation is not null)
            {
                try
                {
                    await cancellation.CancelAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // The copy finished between the check and the cancel.
                }
            }

            await _finished.Task.ConfigureAwait(false);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Copying, NotStarted) != NotStarted)
        {
            // A handler retry would resend a body that is already (partly) consumed: refuse rather than send a truncated one.
            throw new InvalidOperationException("The streamed request body can be sent only once.");
        }

        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _forwardToken);
        bool stopRequested;
        lock (_finished)
        {
            _copyCancellation = cancellation;
            stopRequested = _stopRequested;
        }

        if (stopRequested)
        {
            await cancellation.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            // flushFirst: SocketsHttpHandler holds an HTTP/2 request's HEADERS back until the body is written or
            // flushed; a bidi client waiting for response headers before it sends would otherwise never be answered.
            var (result, error, written) = await StreamCopier.CopyAsync(_body, stream, flushFirst: true, cancellation).ConfigureAwait(false);
            BytesCopied = written;
            switch (result)
            {
                case StreamCopyResult.Completed:
                    Completed = true;
                    return;
                case StreamCopyResult.SourceFailed:
                    DownstreamError = error;

                    // Throwing makes the handler abort the upstream request: a body cut short must not look complete.
                    throw new IOException("Reading the downstream request body failed.", error);
                case StreamCopyResult.DestinationFailed:
                    UpstreamError = error;
                    throw new IOException("Writing the upstream request body failed.", error);
                default:
                    throw new OperationCanceledException("The request body copy was canceled.", error, cancellation.Token);
            }
        }
        finally
        {
            lock (_finished)
            {
                _copyCancellation = null;
            }

            cancellation.Dispose();
            _finished.TrySetResult();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        // Length comes from the Content-Length header the forwarder copies; otherwise the body goes chunked / as h2 DATA.
        length = 0;
        return false;
    }

    protected override Task<Stream> CreateContentReadStreamAsync() =>
        throw new NotSupportedException("A forwarded request body is written to the upstream, never read back.");
}
