using System.Buffers;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// The downstream request body, kept while it streams to the first try so a retry can send it again. Reads pass
/// straight through to the downstream body and copy what they return into a pooled buffer; after
/// <see cref="Rewind"/>, reads serve the kept bytes first, then continue with the rest of the downstream body.
/// </summary>
/// <remarks>
/// At most <see cref="Limit"/> bytes are kept (Envoy keeps a retried body up to its connection buffer limit). A
/// body that grows past it stops being kept and the request is not retried any more; a request whose
/// Content-Length already exceeds it is never wrapped. One instance serves one request; tries use it one after
/// another, never concurrently (the forwarder stops its body copy before it returns).
/// </remarks>
internal sealed class RetryBodyBuffer : Stream
{
    /// <summary>The most a request body may have for the request to stay retriable: 64 KiB.</summary>
    public const int Limit = 64 * 1024;

    private const int InitialSize = 4 * 1024;

    private readonly Stream _inner;
    private byte[]? _kept;
    private int _length;
    private int _position;
    private bool _overflowed;
    private volatile bool _stopRequested;

    /// <summary>Wraps the downstream body.</summary>
    public RetryBodyBuffer(Stream inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>The downstream body this wraps.</summary>
    public Stream Inner => _inner;

    /// <summary>Whether everything read so far is kept, so the body can be sent again.</summary>
    public bool CanReplay => !_overflowed;

    /// <summary>How many bytes are kept.</summary>
    public int KeptBytes => _length;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Asks the buffer to stop keeping: a response is being relayed, so no try will follow and the kept bytes are
    /// dead weight (a long gRPC stream would otherwise hold them until it ends). Safe to call from the response
    /// side while the body copy runs: the copy releases the buffer on its next read past the kept bytes.
    /// </summary>
    public void StopKeeping() => _stopRequested = true;

    /// <summary>Starts the body again from its first byte, for the next try.</summary>
    public void Rewind()
    {
        if (_overflowed)
        {
            throw new InvalidOperationException($"The request body outgrew the {Limit} byte retry buffer and cannot be sent again.");
        }

        _position = 0;
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _length && !_overflowed)
        {
            var count = Math.Min(buffer.Length, _length - _position);
            _kept.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        if (_stopRequested && !_overflowed)
        {
            // Only the reading side touches the kept bytes, so the release happens here, never concurrently.
            _overflowed = true;
            Release();
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read > 0 && !_overflowed)
        {
            Keep(buffer.Span[..read]);
        }

        return read;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        // The downstream body belongs to the server; only the pooled buffer is ours.
        Release();
        base.Dispose(disposing);
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        var needed = _length + data.Length;
        if (needed > Limit)
        {
            _overflowed = true;
            Release();
            return;
        }

        if (_kept is null || _kept.Length < needed)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(Limit, Math.Max(needed, Math.Max(InitialSize, (_kept?.Length ?? 0) * 2))));
            if (_kept is not null)
            {
                _kept.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_kept);
            }

            _kept = larger;
        }

        data.CopyTo(_kept.AsSpan(_length));
        _length = needed;
        _position = needed;
    }

    private void Release()
    {
        if (_kept is not null)
        {
            ArrayPool<byte>.Shared.Return(_kept);
            _kept = null;
        }

        _length = 0;
        _position = 0;
    }
}
