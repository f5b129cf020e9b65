using System.Net;
using Microsoft.AspNetCore.Http;
using Runtime.Grpc;
using Runtime.Silo.Ca;

namespace Runtime.Silo.Tests.Ca;

public sealed class CaAdministrationTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.10.0.5", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.7", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("::ffff:10.0.0.7", false)]
    [InlineData("fe80::1", false)]
    [InlineData("0.0.0.0", false)]
    public void IsAllowed_OnlyLoopbackCallers(string address, bool allowed) =>
        Assert.Equal(allowed, CaAdministration.IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public void IsAllowed_UnknownCaller_IsRefused() => Assert.False(CaAdministration.IsAllowed(null));

    [Fact]
    public void Require_RemoteCaller_PermissionDeniedNamingCallerAndOperation()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.7");

        var refused = Assert.Throws<GrpcException>(() => CaAdministration.Require(context, "creating a bootstrap token"));

        Assert.Equal(GrpcStatusCode.PermissionDenied, refused.Status);
        Assert.Contains("creating a bootstrap token", refused.Message, StringComparison.Ordinal);
        Assert.Contains("10.0.0.7", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_LoopbackCaller_Passes()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.IPv6Loopback;

        Assert.Null(Record.Exception(() => CaAdministration.Require(context, "rotating the root")));
    }
}
