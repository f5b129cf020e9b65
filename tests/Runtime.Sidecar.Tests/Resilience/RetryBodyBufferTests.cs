using System.Security.Cryptography;
using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Tests.Resilience;

public sealed class RetryBodyBufferTests
{
    [Fact]
    public async Task Rewind_AfterPartialRead_ReplaysKeptBytesThenTheRest()
    {
        var body = RandomNumberGenerator.GetBytes(50_000);
        using var buffer = new RetryBodyBuffer(new MemoryStream(body));
        var first = new byte[10_000];
        await buffer.ReadExactlyAsync(first);

        buffer.Rewind();
        var replayed = await ReadAllAsync(buffer);

        Assert.Equal(body, replayed);
        Assert.True(buffer.CanReplay);
        buffer.Rewind();
        Assert.Equal(body, await ReadAllAsync(buffer));
    }

    [Fact]
    public async Task StopKeeping_WhileStreaming_ReleasesTheKeptBytesAndPassesTheRestThrough()
    {
        var body = RandomNumberGenerator.GetBytes(30_000);
        using var buffer = new RetryBodyBuffer(new MemoryStream(body));
        var first = new byte[10_000];
        await buffer.ReadExactlyAsync(first);
        Assert.Equal(10_000, buffer.KeptBytes);

        buffer.StopKeeping();
        var rest = await ReadAllAsync(buffer);

        Assert.Equal(body, first.Concat(rest).ToArray());
        Assert.Equal(0, buffer.KeptBytes);
        Assert.False(buffer.CanReplay);
    }

    [Fact]
    public async Task Read_PastTheLimit_StopsKeepingAndRefusesRewind()
    {
        var body = RandomNumberGenerator.GetBytes(RetryBodyBuffer.Limit + 1);
        using var buffer = new RetryBodyBuffer(new MemoryStream(body));

        Assert.Equal(body, await ReadAllAsync(buffer));
        Assert.False(buffer.CanReplay);
        Assert.Equal(0, buffer.KeptBytes);
        Assert.Throws<InvalidOperationException>(buffer.Rewind);
    }

    [Fact]
    public async Task Read_ExactlyTheLimit_StaysReplayable()
    {
        var body = RandomNumberGenerator.GetBytes(RetryBodyBuffer.Limit);
        using var buffer = new RetryBodyBuffer(new MemoryStream(body));

        await ReadAllAsync(buffer);
        buffer.Rewind();

        Assert.Equal(body, await ReadAllAsync(buffer));
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        var chunk = new byte[7_000];
        int read;
        while ((read = await stream.ReadAsync(chunk)) > 0)
        {
            copy.Write(chunk, 0, read);
        }

        return copy.ToArray();
    }
}
