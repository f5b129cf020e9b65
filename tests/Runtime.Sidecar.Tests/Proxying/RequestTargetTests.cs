using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Runtime.Abstractions.Http;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Tests.Proxying;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("reviews", true)]
    [InlineData("reviews.prod.svc.cluster.local:9080", true)]
    [InlineData("10.0.0.1:80", true)]
    [InlineData("[::1]:8080", true)]
    [InlineData("evil.com#.internal", false)]
    [InlineData("evil.com?.internal", false)]
    [InlineData("user@host", false)]
    [InlineData("a/b", false)]
    [InlineData("reviews:0", false)]
    [InlineData("reviews:99999", false)]
    [InlineData("reviews:http", false)]
    public void IsAuthority_Candidate_OnlyHostsWithOptionalPort(string authority, bool expected)
    {
        Assert.Equal(expected, RequestTarget.IsAuthority(authority));
    }

    [Fact]
    public void Read_InvokeNamingANonHost_IsRefusedWithAReason()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/v1.0/invoke/evil.com#.internal/method/x";

        var target = RequestTarget.Read(context, CanonicalPathMode.Strict, out var problem);

        Assert.Null(target);
        Assert.Contains("is not a service name", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin", "", "/admin")]
    [InlineData("/%2561dmin", "", "/%2561dmin")]
    [InlineData("/a%20b", "x=1", "/a%20b?x=1")]
    public void PathAndQuery_CanonicalPath_ForwardedAsIsWithTheQuery(string path, string query, string expected)
    {
        Assert.Equal(expected, RequestTarget.PathAndQuery(path, query));
    }

    [Theory]
    [InlineData("websocket", true)]
    [InlineData("WebSocket", true)]
    [InlineData("h2c", false)]
    [InlineData("websocket, h2c", false)]
    [InlineData("", false)]
    public void IsWebSocketUpgrade_UpgradeHeader_OnlyWebSocketIsTunnelled(string upgrade, bool expected)
    {
        Assert.Equal(expected, HopByHopHeaders.IsWebSocketUpgrade(upgrade.Length == 0 ? StringValues.Empty : new StringValues(upgrade)));
    }

    [Theory]
    [InlineData("Transfer-Encoding", true)]
    [InlineData("content-length", true)]
    [InlineData("HOST", true)]
    [InlineData("x-custom", false)]
    public void IsProtected_HeaderName_FramingAndConnectionHeadersAreOffLimits(string name, bool expected)
    {
        Assert.Equal(expected, RequestHeaderOps.IsProtected(name));
    }
}
