using System.Net;
using System.Threading.Channels;

namespace Runtime.Grpc.Tests.Infrastructure;

/// <summary>
/// A request body written while the response streams. Flushes after every chunk: HTTP/2 request
/// data is otherwise buffered by SocketsHttpHandler and a bidi peer would wait forever.
/// </summary>
internal sealed class DuplexRequestContent : HttpContent
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();

    public ValueTask WriteAsync(byte[] chunk) => _chunks.Writer.WriteAsync(chunk);

    public void Complete() => _chunks.Writer.TryComplete();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await foreach (var chunk in _chunks.Reader.ReadAllAsync())
        {
            await stream.WriteAsync(chunk);
            await stream.FlushAsync();
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
