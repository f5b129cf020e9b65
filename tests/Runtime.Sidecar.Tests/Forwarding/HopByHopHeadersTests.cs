using Microsoft.Extensions.Primitives;
using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Tests.Forwarding;

public sealed class HopByHopHeadersTests
{
    [Theory]
    [InlineData("connection", true)]
    [InlineData("Keep-Alive", true)]
    [InlineData("TRANSFER-ENCODING", true)]
    [InlineData("te", true)]
    [InlineData("Upgrade", true)]
    [InlineData("Proxy-Authorization", true)]
    [InlineData("x-forwarded-for", false)]
    [InlineData("Content-Length", false)]
    public void IsHopByHop_KnownNames_CaseInsensitive(string name, bool expected) =>
        Assert.Equal(expected, HopByHopHeaders.IsHopByHop(name));

    [Fact]
    public void NominatedBy_ConnectionTokens_ReturnsOnlyExtraNames()
    {
        Assert.Null(HopByHopHeaders.NominatedBy(new StringValues(["keep-alive", "Upgrade, close"])));
        Assert.Equal(["x-a", "X-B"], HopByHopHeaders.NominatedBy(new StringValues(["keep-alive, x-a", " X-B "])));
    }

    [Theory]
    [InlineData("trailers", true)]
    [InlineData("gzip, Trailers;q=1", true)]
    [InlineData("gzip", false)]
    public void AllowsTrailers_TeValues_OnlyWhenTrailersListed(string te, bool expected) =>
        Assert.Equal(expected, HopByHopHeaders.AllowsTrailers(te));
}
