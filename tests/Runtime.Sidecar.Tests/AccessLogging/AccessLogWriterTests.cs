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

    [Fact]
    public async Task Open_TwoWritersOnOneFile_EveryLineFromBothIsKept()
    {
        // Two sidecars (here two independent opens, as two processes would make) naming the same log file.
        var path = Path.Combine(Path.GetTempPath(), "mesh-access-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            var first = AccessLogWriter.Open(path, AccessLogFormat.Json);
            var second = AccessLogWriter.Open(path, AccessLogFormat.Json);
            await using (first)
            await using (second)
            {
                for (var i = 0; i < 3000; i++)
                {
                    first.Enqueue(Entry(i));
                    second.Enqueue(Entry(100_000 + i));
                }
            }

            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal(6000, lines.Length);
            Assert.All(lines, line => Assert.Matches("^\\{\"start_time\":.*\\}$", line));
            Assert.Equal(Enumerable.Range(100_000, 3000), lines.Select(PathNumber).Where(n => n >= 100_000).Order());
            Assert.Equal(Enumerable.Range(0, 3000), lines.Select(PathNumber).Where(n => n < 100_000).Order());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Open_FileGrowsAfterOpen_WritesGoAfterTheOtherWritersText()
    {
        var path = Path.Combine(Path.GetTempPath(), "mesh-access-" + Guid.NewGuid().ToString("N") + ".log");
        try
        {
            await File.WriteAllTextAsync(path, "before\n");
            var writer = AccessLogWriter.Open(path, AccessLogFormat.Json);
            await using (writer)
            {
                // Someone else appends after this writer opened the file (logrotate's copytruncate, another sidecar).
                await File.AppendAllTextAsync(path, "someone else\n");
                writer.Enqueue(Entry(7));
            }

            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal(3, lines.Length);
            Assert.Equal("before", lines[0]);
            Assert.Equal("someone else", lines[1]);
            Assert.Contains("\"path\":\"/7\"", lines[2], StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int PathNumber(string line)
    {
        const string Key = "\"path\":\"/";
        var start = line.IndexOf(Key, StringComparison.Ordinal) + Key.Length;
        var end = line.IndexOf('"', start);
        return int.Parse(line.AsSpan(start, end - start), System.Globalization.CultureInfo.InvariantCulture);
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
