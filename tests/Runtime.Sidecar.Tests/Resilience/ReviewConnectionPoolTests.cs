using System.Text;
using Runtime.Sidecar.Resilience;

namespace Runtime.Sidecar.Tests.Resilience;

/// <summary>
/// maxRequestsPerConnection on HTTP/1.1: SocketsHttpHandler reads the response while the request body is still being
/// written, so body writes after a read must neither count as requests nor receive the Connection header.
/// </summary>
public sealed class ReviewConnectionPoolTests
{
    [Fact]
    public async Task CountingStream_BodyWrittenWhileTheResponseIsRead_IsNeitherCountedNorEdited()
    {
        using var wire = new MemoryStream();
        await using var stream = new ConnectionPoolRequestCountingStream(wire, maxRequests: 2);

        await stream.WriteAsync("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 14\r\n\r\n"u8.ToArray());
        _ = await stream.ReadAsync(new byte[1]); // the handler's response read, issued while the body streams
        await stream.WriteAsync("line1\r\n"u8.ToArray());
        await stream.WriteAsync("line2\r\n"u8.ToArray());

        Assert.Equal("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 14\r\n\r\nline1\r\nline2\r\n", Encoding.ASCII.GetString(wire.ToArray()));
        Assert.Equal(1, stream.RequestsStarted);

        // The next request on the connection is the last allowed one.
        _ = await stream.ReadAsync(new byte[1]);
        stream.Write("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"u8);

        Assert.EndsWith("line2\r\nGET /b HTTP/1.1\r\nConnection: close\r\nHost: x\r\n\r\n", Encoding.ASCII.GetString(wire.ToArray()), StringComparison.Ordinal);
        Assert.Equal(2, stream.RequestsStarted);
    }

    [Fact]
    public async Task CountingStream_BodyAfterExpectContinue_IsNotCounted()
    {
        using var wire = new MemoryStream();
        await using var stream = new ConnectionPoolRequestCountingStream(wire, maxRequests: 3);

        await stream.WriteAsync("PUT /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 7\r\n\r\n"u8.ToArray());
        _ = await stream.ReadAsync(new byte[1]); // "HTTP/1.1 100 Continue"
        await stream.WriteAsync("body\r\n!"u8.ToArray());
        _ = await stream.ReadAsync(new byte[1]);
        await stream.WriteAsync("GET /b HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        Assert.Equal(2, stream.RequestsStarted);
        Assert.DoesNotContain("Connection: close", Encoding.ASCII.GetString(wire.ToArray()), StringComparison.Ordinal);
    }
}
