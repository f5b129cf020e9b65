using System.Text;
using Runtime.Sidecar.AccessLogging;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.AccessLogging;

/// <summary>The writer never makes a request wait: a full queue drops (and counts) entries; lines stay whole.</summary>
public sealed class AccessLogWriterTests
{
    [Fact]
    public async Task Enqueue_QueueFullWhileOutputBlocked_DropsAndCountsThenWritesWholeLines()
    {
        using var output = new BlockingStream();
        var writer = new AccessLogWriter(output, ownsOutput: false, AccessLogFormat.Json);
        await using (writer)
        {
            writer.Enqueue(Entry(0));
            // The loop now holds entry 0 and is stuck in its write: the queue's whole capacity is free.
            await output.WriteEntered.WaitAsync("the writer's first write");
            for (var i = 1; i <= AccessLogWriter.Capacity + 5; i++)
            {
                writer.Enqueue(Entry(i));
            }

            Assert.Equal(5, writer.Dropped);
            output.Release.Open();
        }

        var text = Encoding.UTF8.GetString(output.Written.ToArray());
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(AccessLogWriter.Capacity + 1, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("{\"start_time\":", line, StringComparison.Ordinal));
        Assert.Contains("\"path\":\"/8192\"", lines[^1], StringComparison.Ordinal);
    }

    private static AccessLogEntry Entry(int i) => new()
    {
        StartTime = DateTime.UnixEpoch,
        Outbound = true,
        Method = "GET",
        Path = "/" + i,
        Protocol = "HTTP/1.1",
        ResponseCode = 200,
        ResponseFlags = "-",
        BytesReceived = 0,
        BytesSent = 0,
        DurationMs = 1,
    };

    /// <summary>Holds its first write until released, recording everything written.</summary>
    private sealed class BlockingStream : Stream
    {
        public Gate WriteEntered { get; } = new();

        public Gate Release { get; } = new();

        public MemoryStream Written { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written.Length;

        public override long Position { get => Written.Position; set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            WriteEntered.Open();
            await Release.WaitAsync("the test to release the output");
            Written.Write(buffer.Span);
        }

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
