using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// A log file opened with <c>O_APPEND</c>, as Envoy opens its access logs: the kernel puts every write at the end of
/// the file as it is at that moment, so several sidecars (or the same path named twice in one sidecar) can share one
/// file without overwriting each other's lines. .NET's <see cref="FileMode.Append"/> only seeks to the end once at
/// open and then writes at its own remembered position, which loses another writer's lines.
/// </summary>
/// <remarks>Linux only (the flag values are Linux's); elsewhere <see cref="Open"/> falls back to a plain appending
/// <see cref="FileStream"/>.</remarks>
internal sealed class AppendOnlyFileStream : Stream
{
    private const int OpenWriteOnly = 0x1;
    private const int OpenCreate = 0x40;
    private const int OpenAppend = 0x400;
    private const int OpenCloseOnExec = 0x80000;
    private const int Permissions = 0b110_100_100; // rw-r--r--, narrowed by the umask
    private const int Interrupted = 4; // EINTR

    private readonly SafeFileHandle _handle;

    private AppendOnlyFileStream(SafeFileHandle handle) => _handle = handle;

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => !_handle.IsClosed;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Opens (creating if needed) <paramref name="path"/> for appending; throws <see cref="IOException"/>
    /// naming the path when it cannot.</summary>
    public static Stream Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }

        var fd = NativeOpen(path, OpenWriteOnly | OpenCreate | OpenAppend | OpenCloseOnExec, Permissions);
        if (fd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open access log file '{path}': {new Win32Exception(error).Message}", error);
        }

        return new AppendOnlyFileStream(new SafeFileHandle(fd, ownsHandle: true));
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Writes all of <paramref name="buffer"/> at the file's end; a single call for anything the kernel takes
    /// whole (regular files take the whole buffer unless the disk is full).</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        while (!buffer.IsEmpty)
        {
            var written = NativeWrite(_handle, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);
            if (written < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error == Interrupted)
                {
                    continue;
                }

                throw new IOException($"cannot write to the access log: {new Win32Exception(error).Message}", error);
            }

            buffer = buffer[(int)written..];
        }
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Local files do not block long enough to be worth a thread-pool hop; the log's writer loop is already off the
        // request path.
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Nothing is buffered here: every write has reached the kernel when it returns.</summary>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _handle.Dispose();
        }

        base.Dispose(disposing);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int NativeOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint NativeWrite(SafeFileHandle fd, ref byte buffer, nuint count);
}
