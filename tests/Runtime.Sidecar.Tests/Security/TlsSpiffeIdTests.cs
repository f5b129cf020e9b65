using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>What a peer's SPIFFE id must look like to be accepted.</summary>
public sealed class TlsSpiffeIdTests
{
    [Fact]
    public void Parse_WellFormedId_SplitsItsParts()
    {
        var identity = TlsSpiffeId.Parse("spiffe://cluster.local/ns/default/sa/reviews", out var problem);
        Assert.Null(problem);
        Assert.Equal(new PeerIdentity("spiffe://cluster.local/ns/default/sa/reviews", "cluster.local", "default", "reviews"), identity);
    }

    [Theory]
    [InlineData("https://cluster.local/ns/default/sa/reviews")]
    [InlineData("spiffe://cluster.local/ns/default/sa/*")]
    [InlineData("spiffe://*/ns/default/sa/reviews")]
    [InlineData("spiffe://cluster.local/ns/default/sa/reviews/extra")]
    [InlineData("spiffe://cluster.local/ns//sa/reviews")]
    [InlineData("spiffe://cluster.local/ns/../sa/reviews")]
    [InlineData("spiffe://cluster.local/ns/default/sa/re%76iews")]
    [InlineData("spiffe://cluster.local/ns/default/sa/reviews?x=1")]
    [InlineData("spiffe://cluster.local/sa/reviews/ns/default")]
    [InlineData("spiffe://Cluster.Local/ns/default/sa/reviews")]
    [InlineData("spiffe://cluster.local/ns/default/sa/reviews#frag")]
    public void Parse_MalformedOrWildcardId_IsRefused(string id)
    {
        Assert.Null(TlsSpiffeId.Parse(id, out var problem));
        Assert.NotNull(problem);
    }

    [Fact]
    public void Read_CertificateWithTwoUriSans_IsRefused()
    {
        using var ca = new TlsTestCa();
        using var certificate = ca.Issue([TlsTestCa.SpiffeId("a"), TlsTestCa.SpiffeId("b")]);
        Assert.Null(TlsSpiffeId.Read(certificate, out var problem));
        Assert.Contains("exactly one", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CertificateWithOneSpiffeSan_ReturnsIdentity()
    {
        using var ca = new TlsTestCa();
        using var certificate = ca.Issue([TlsTestCa.SpiffeId("reviews", "shop")]);
        Assert.Equal("spiffe://cluster.local/ns/shop/sa/reviews", TlsSpiffeId.Read(certificate, out _)?.SpiffeId);
    }
}
