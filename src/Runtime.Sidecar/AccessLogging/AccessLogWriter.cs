using System.Text;
using System.Threading.Channels;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// Writes access-log lines off the request path: requests enqueue entries into a bounded channel (never waiting; an
/// entry that finds it full is dropped and counted in <see cref="Dropped"/>), and one background loop formats whole
/// lines and writes each batch with a single write, so no line is ever split by this writer.
/// </summary>
internal sealed class AccessLogWriter : IAsyncDisposable
{
    /// <summary>Entries waiting to be written before new ones are dropped.</summary>
    public const int Capacity = 8192;

    private readonly Channel<AccessLogEntry> _queue = Channel.CreateBounded<AccessLogEntry>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Stream _output;
    private readonly bool _ownsOutput;
    private readonly AccessLogFormat _format;
    private readonly Task _loop;
    private long _dropped;

    /// <summary>Starts writing to <paramref name="output"/>; <paramref name="ownsOutput"/> closes it on dispose.</summary>
    public AccessLogWriter(Stream output, bool ownsOutput, AccessLogFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _ownsOutput = ownsOutput;
        _format = format;
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>Entries dropped: the queue was full, or the output failed to take them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The writer for <c>--access-log-path</c>: <c>stdout</c>, or a file opened with <c>O_APPEND</c> so other
    /// writers of the same file keep their lines.</summary>
    public static AccessLogWriter Open(string path, AccessLogFormat format) =>
        string.Equals(path, "stdout", StringComparison.OrdinalIgnoreCase)
            ? new AccessLogWriter(Console.OpenStandardOutput(), ownsOutput: false, format)
            : new AccessLogWriter(AppendOnlyFileStream.Open(path), ownsOutput: true, format);

    /// <summary>Queues <paramref name="entry"/>; drops it (counted) when the queue is full. Never blocks.</summary>
    public void Enqueue(AccessLogEntry entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_ownsOutput)
        {
            await _output.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task WriteLoopAsync()
    {
        var lines = new StringBuilder();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            lines.Clear();
            var count = 0;
            while (lines.Length < 64 * 1024 && reader.TryRead(out var entry))
            {
                AccessLogLine.Append(lines, entry, _format);
                count++;
            }

            try
            {
                await _output.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString())).ConfigureAwait(false);
                await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // A full disk or closed stdout loses these lines; requests are never held up by the log.
                Interlocked.Add(ref _dropped, count);
            }
        }
    }
}
