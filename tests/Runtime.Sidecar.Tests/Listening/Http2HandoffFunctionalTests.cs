using System.Net.Sockets;
using System.Text;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Listening;

/// <summary>The sniffing port with real sockets: bytes arriving one at a time must not confuse it.</summary>
public sealed class Http2HandoffFunctionalTests
{
    [Fact]
    public async Task Port_FirstBytesSplitOrAbsent_EachConnectionServedWithItsProtocol()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var sidecar = await mesh.StartSidecarAsync("client", null);
        await sidecar.Ready.WaitAsync(TestTimeouts.Default);
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        var port = sidecar.OutboundAddress.Port;

        // Connected and closed without a byte: nothing to serve, nothing to break.
        using (var silent = new TcpClient())
        {
            await silent.ConnectAsync("127.0.0.1", port, timeout.Token);
        }

        // HTTP/1.1 POST whose first byte arrives alone (a prefix of the h2 preface's "P").
        using var http1 = new TcpClient();
        await http1.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream1 = http1.GetStream();
        await stream1.WriteAsync("P"u8.ToArray(), timeout.Token);
        await stream1.FlushAsync(timeout.Token);
        await stream1.WriteAsync(Encoding.ASCII.GetBytes("OST /x HTTP/1.1\r\nHost: nowhere\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), timeout.Token);
        var answer1 = await ReadSomeAsync(stream1, 12, timeout.Token);

        // The h2c preface split in the middle, then an empty SETTINGS frame: the server answers with its SETTINGS.
        using var http2 = new TcpClient();
        await http2.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream2 = http2.GetStream();
        await stream2.WriteAsync("PRI * HT"u8.ToArray(), timeout.Token);
        await stream2.FlushAsync(timeout.Token);
        await stream2.WriteAsync("TP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), timeout.Token);
        await stream2.WriteAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }, timeout.Token);
        var answer2 = await ReadSomeAsync(stream2, 9, timeout.Token);

        Assert.StartsWith("HTTP/1.1 404", Encoding.ASCII.GetString(answer1), StringComparison.Ordinal);
        Assert.Equal(4, answer2[3]); // frame type SETTINGS
    }

    private static async Task<byte[]> ReadSomeAsync(NetworkStream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
