using Runtime.Abstractions.Api;
using Runtime.Abstractions.Discovery;
using Runtime.Silo.Discovery;

namespace Runtime.Silo.Tests.Discovery;

/// <summary>The CA's trust bundle in snapshots: carried to the proxy, part of the version, mapped to the wire.</summary>
public sealed class SnapshotTrustTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly RegisteredProxy Cart = new(
        "cart-1.shop", new ProxyIdentity { Service = "cart", Namespace = "shop", Address = "10.0.0.2", InboundPort = 15006, Instance = "cart-1" }, "test", Now, Now, Connections: 1);

    [Fact]
    public void Build_TrustGenerationChanges_VersionChangesAndSnapshotCarriesTheBundle()
    {
        var prepared = new MeshTrustBundle("old+new", ["cluster.local"], 2, "aaaa");
        var switched = prepared with { Generation = 3, SigningRootSha256 = "bbbb" };

        var none = new SnapshotBuilder(MeshConfigView.Empty, [Cart]).Build(Cart, Now);
        var atPrepare = new SnapshotBuilder(MeshConfigView.Empty, [Cart], prepared).Build(Cart, Now);
        var atPrepareAgain = new SnapshotBuilder(MeshConfigView.Empty, [Cart], prepared with { }).Build(Cart, Now);
        var atSwitch = new SnapshotBuilder(MeshConfigView.Empty, [Cart], switched).Build(Cart, Now);

        Assert.Null(none.Trust);
        Assert.Same(prepared, atPrepare.Trust);
        Assert.Equal(atPrepare.Version, atPrepareAgain.Version);
        Assert.Equal(3, new[] { none.Version, atPrepare.Version, atSwitch.Version }.Distinct().Count());
    }

    [Fact]
    public void DiscoveryMessages_Trust_RoundTrips()
    {
        var snapshot = new ProxySnapshot { Version = "v1", Trust = new MeshTrustBundle("pem", ["cluster.local", "old.local"], 7, "cccc") };

        var back = DiscoveryMessages.FromMessage(DiscoveryMessages.ToMessage(snapshot)).Trust!;

        Assert.Equal(("pem", 7L, "cccc"), (back.RootsPem, back.Generation, back.SigningRootSha256));
        Assert.Equal(["cluster.local", "old.local"], back.TrustDomains);
        Assert.Null(DiscoveryMessages.FromMessage(DiscoveryMessages.ToMessage(new ProxySnapshot { Version = "v2" })).Trust);
    }
}
