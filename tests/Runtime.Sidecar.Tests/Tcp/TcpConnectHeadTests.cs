using System.IO.Pipelines;
using System.Text;
using Runtime.Sidecar.Tcp;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Tcp;

public sealed class TcpConnectHeadTests
{
    [Theory]
    [InlineData("CONNECT reviews:9000 HTTP/1.1", "reviews", 9000)]
    [InlineData("CONNECT reviews.default.svc.cluster.local:1 HTTP/1.0", "reviews.default.svc.cluster.local", 1)]
    [InlineData("CONNECT [::1]:65535 HTTP/1.1", "::1", 65535)]
    public void Parse_ValidRequestLine_TargetRead(string line, string host, int port)
    {
        var head = TcpConnectHead.Parse(line + "\r\nHost: x\r\nx-mesh-peer-metadata: workload=a;namespace=b", out var problem);

        Assert.Null(problem);
        Assert.Equal((host, port), (head!.Host, head.Port));
        Assert.Equal("workload=a;namespace=b", head.Headers["x-mesh-peer-metadata"].ToString());
    }

    [Theory]
    [InlineData("GET / HTTP/1.1", "is not 'CONNECT host:port HTTP/1.1'")]
    [InlineData("CONNECT reviews HTTP/1.1", "is not host:port")]
    [InlineData("CONNECT reviews:0 HTTP/1.1", "port from 1 to 65535")]
    [InlineData("CONNECT reviews:70000 HTTP/1.1", "port from 1 to 65535")]
    [InlineData("CONNECT user@reviews:80 HTTP/1.1", "is not host:port")]
    [InlineData("CONNECT reviews:80 HTTP/2.0", "is not 'CONNECT host:port HTTP/1.1'")]
    [InlineData("CONNECT reviews:80 HTTP/1.1\r\nno colon here", "header line 1")]
    public void Parse_Malformed_ProblemSaysWhat(string text, string expected)
    {
        Assert.Null(TcpConnectHead.Parse(text, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HeadThenTunnelBytes_ConsumesExactlyTheHead()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("CONNECT db:5432 HTTP/1.1\r\nHost: db:5432\r\n\r\nfirst bytes"));
        await pipe.Writer.CompleteAsync();

        var (head, problem) = await TcpConnectHead.ReadAsync(pipe.Reader, CancellationToken.None).Within();
        var rest = await pipe.Reader.ReadAsync();

        Assert.Null(problem);
        Assert.Equal("db:5432", head!.Authority);
        Assert.Equal("first bytes", Encoding.ASCII.GetString(rest.Buffer));
    }

    [Fact]
    public async Task ReadAsync_EndsBeforeTheHead_Problem()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("CONNECT db:5432 HTTP/1.1\r\n"));
        await pipe.Writer.CompleteAsync();

        var (head, problem) = await TcpConnectHead.ReadAsync(pipe.Reader, CancellationToken.None).Within();

        Assert.Null(head);
        Assert.Equal("the connection ended before the CONNECT request head did", problem);
    }

    [Fact]
    public async Task ReadAsync_HeadTooLong_Problem()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes("CONNECT db:5432 HTTP/1.1\r\nx-big: " + new string('a', TcpConnectHead.MaxLength)));

        var (head, problem) = await TcpConnectHead.ReadAsync(pipe.Reader, CancellationToken.None).Within();

        Assert.Null(head);
        Assert.Equal($"the CONNECT request head is longer than {TcpConnectHead.MaxLength} bytes", problem);
    }
}
