using System.Net;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>
/// A request body of <see cref="Length"/> bytes produced on the fly from one reused buffer: never materialised.
/// With <paramref name="declareLength"/> false it goes chunked.
/// </summary>
internal sealed class GeneratedContent(long length, bool declareLength = true) : HttpContent
{
    public long Length { get; } = length;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var buffer = new byte[64 * 1024];
        for (var i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)i;
        }

        var remaining = Length;
        while (remaining > 0)
        {
            var count = (int)Math.Min(buffer.Length, remaining);
            await stream.WriteAsync(buffer.AsMemory(0, count));
            remaining -= count;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Length;
        return declareLength;
    }
}
