using System.Text;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// Enforces <c>http.maxRequestsPerConnection</c> above 1 on an HTTP/1.1 upstream connection, which SocketsHttpHandler
/// cannot do itself: it counts requests on this connection (HTTP/1.1 without pipelining alternates request and
/// response, so a request starts at the first write after a read that opens with a request line; body writes interleave
/// with the response read) and inserts <c>Connection: close</c> after the
/// request line of the last allowed one. The upstream then closes the connection after that response and the handler
/// never reuses it. Only for cleartext HTTP/1.1: TLS or HTTP/2 bytes are never touched (see
/// <see cref="ConnectionPoolConnector"/>). Body writes after a read (the handler reads the response while the body
/// streams, and after <c>Expect: 100-continue</c>) are neither counted nor edited.
/// </summary>
internal sealed class ConnectionPoolRequestCountingStream(Stream inner, int maxRequests) : Stream
{
    private static readonly byte[] CloseHeader = Encoding.ASCII.GetBytes("Connection: close\r\n");

    private bool _reading = true;
    private int _started;
    private bool _lookingForRequestLine;
    private bool _sawCr;

    /// <summary>Requests started on this connection so far.</summary>
    public int RequestsStarted => _started;

    /// <inheritdoc />
    public override bool CanRead => inner.CanRead;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => inner.CanWrite;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        _reading = true;
        return inner.Read(buffer);
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _reading = true;
        return inner.ReadAsync(buffer, cancellationToken);
    }

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var split = Split(buffer.Length, buffer);
        if (split < 0)
        {
            inner.Write(buffer);
            return;
        }

        inner.Write(buffer[..split]);
        inner.Write(CloseHeader);
        inner.Write(buffer[split..]);
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var split = Split(buffer.Length, buffer.Span);
        return split < 0 ? inner.WriteAsync(buffer, cancellationToken) : WriteSplitAsync(buffer, split, cancellationToken);
    }

    /// <inheritdoc />
    public override void Flush() => inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask WriteSplitAsync(ReadOnlyMemory<byte> buffer, int split, CancellationToken cancellationToken)
    {
        await inner.WriteAsync(buffer[..split], cancellationToken).ConfigureAwait(false);
        await inner.WriteAsync(CloseHeader, cancellationToken).ConfigureAwait(false);
        await inner.WriteAsync(buffer[split..], cancellationToken).ConfigureAwait(false);
    }

    // "METHOD SP target": a token of letters, one space, then an origin-form, asterisk, absolute-form or authority target.
    private static bool StartsRequestLine(ReadOnlySpan<byte> buffer)
    {
        var i = 0;
        while (i < buffer.Length && buffer[i] is >= (byte)'A' and <= (byte)'Z' or (byte)'-' or (byte)'_')
        {
            i++;
        }

        return i > 0 && i + 1 < buffer.Length && buffer[i] == (byte)' '
            && buffer[i + 1] is (byte)'/' or (byte)'*' or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9');
    }

    // Where to insert the header in this write (just after the request line's CRLF), or -1.
    private int Split(int length, ReadOnlySpan<byte> buffer)
    {
        // SocketsHttpHandler reads the response while it still writes the request body, so a write after a read is a
        // new request only if it opens with a request line; counting body writes would close connections early and
        // put the Connection header inside a body.
        if (_reading && length > 0)
        {
            _reading = false;
            if (StartsRequestLine(buffer))
            {
                _started++;
                _lookingForRequestLine = _started >= maxRequests;
                _sawCr = false;
            }
        }

        if (!_lookingForRequestLine)
        {
            return -1;
        }

        for (var i = 0; i < length; i++)
        {
            if (_sawCr && buffer[i] == (byte)'\n')
            {
                _lookingForRequestLine = false;
                return i + 1;
            }

            _sawCr = buffer[i] == (byte)'\r';
        }

        return -1;
    }
}
