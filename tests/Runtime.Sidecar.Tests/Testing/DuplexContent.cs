using System.Net;
using System.Threading.Channels;

namespace Runtime.Sidecar.Tests.Testing;

/// <summary>
/// A request body written while the response streams (bidirectional streaming). Flushes after every chunk, since
/// SocketsHttpHandler otherwise holds HTTP/2 request data back.
/// </summary>
internal sealed class DuplexContent : HttpContent
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();

    public ValueTask WriteAsync(byte[] chunk) => _chunks.Writer.WriteAsync(chunk);

    public void Complete() => _chunks.Writer.TryComplete();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        // Send the request headers now, as gRPC clients do, rather than with the first message.
        await stream.FlushAsync();
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
