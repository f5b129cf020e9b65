using System.Text;
using Runtime.Sidecar.Listening;

namespace Runtime.Sidecar.Tests.Listening;

public sealed class Http2HandoffTests
{
    [Theory]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", true)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\x12\x04", true)]
    [InlineData("GET / HTTP/1.1\r\n", false)]
    [InlineData("POST /x HTTP/1.1\r\n", false)]
    [InlineData("PUT /x HTTP/1.1\r\n", false)]
    [InlineData("PATCH /x HTTP/1.1\r\n", false)]
    [InlineData("PRX", false)]
    [InlineData("P", null)]
    [InlineData("PRI * HTTP/2", null)]
    [InlineData("", null)]
    public void Decide_FirstBytes_TellsHttp2FromHttp1OrWaitsForMore(string first, bool? expected)
    {
        Assert.Equal(expected, Http2Handoff.Decide(Encoding.ASCII.GetBytes(first)));
    }
}
