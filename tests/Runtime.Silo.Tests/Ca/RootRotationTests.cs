using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Runtime.Silo.Ca;
using Runtime.Silo.Discovery;
using Runtime.Silo.Hosting;
using Runtime.Silo.Store;
using Runtime.Silo.Tests.Testing;
using static Runtime.Silo.Tests.Ca.CaTestKit;

namespace Runtime.Silo.Tests.Ca;

/// <summary>The three-step root rotation of the self-signed CA, its persistence and its refusals.</summary>
public sealed class RootRotationTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = Clock();
    private readonly List<CaStartup> _cas = [];

    public void Dispose()
    {
        _cas.ForEach(ca => ca.Dispose());
        _directory.Dispose();
    }

    [Fact]
    public void Rotate_ThreeSteps_PublishesBothRootsThenSwitchesSignerThenDropsOldRoot()
    {
        var ca = Start();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.Authority.CreateToken("shop", "cart", null);
        var first = ca.Authority.Sign(Csr(key), new TokenProof(token), null);
        var oldRoot = ca.Authority.State.SigningRootSha256;
        Assert.Equal(1, first.Generation);

        var prepared = ca.Rotate(RotationStep.Prepare, 1);

        Assert.Equal((2L, RotationPhase.Prepared, 2), (prepared.Generation, prepared.Phase, prepared.Signer.Roots.Count));
        Assert.Equal(oldRoot, prepared.SigningRootSha256);
        var newRoot = CaState.Sha256(prepared.Signer.Roots[1]);
        Assert.NotEqual(oldRoot, newRoot);
        var duringPrepare = ca.Authority.Sign(Csr(key), new TokenProof(token), null);
        Assert.Equal(2, duringPrepare.Generation);
        Assert.Equal(oldRoot, RootOf(duringPrepare));
        Assert.Equal(2, Bundle(duringPrepare).Count);

        var switched = ca.Rotate(RotationStep.Switch, 2);

        Assert.Equal((3L, RotationPhase.Switched, 2), (switched.Generation, switched.Phase, switched.Signer.Roots.Count));
        Assert.Equal(newRoot, switched.SigningRootSha256);
        // A leaf of the old root still proves its identity: renewal verifies against every root of the bundle.
        var csr = Csr(key);
        var renewed = ca.Authority.Sign(csr, Renewal(first, key, csr), null);
        Assert.Equal(newRoot, RootOf(renewed));

        var finished = ca.Rotate(RotationStep.Finish, 3);

        Assert.Equal((4L, RotationPhase.Stable), (finished.Generation, finished.Phase));
        Assert.Equal(newRoot, CaState.Sha256(Assert.Single(finished.Signer.Roots)));
        Assert.Equal(newRoot, ca.Current!.SigningRootSha256);
        Assert.Equal(4, ca.Current.Generation);
        var refusedCsr = Csr(key);
        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Authority.Sign(refusedCsr, Renewal(first, key, refusedCsr), null));
        Assert.Equal(CaRefusal.Unauthenticated, refused.Reason);
        var again = Csr(key);
        Assert.Equal(newRoot, RootOf(ca.Authority.Sign(again, Renewal(renewed, key, again), null)));
    }

    [Theory]
    [InlineData("Switch", "STABLE", "PREPARE")]
    [InlineData("Finish", "STABLE", "PREPARE")]
    public void Rotate_OutOfOrder_RefusedNamingPhaseAndNextStep(string step, string phase, string expected)
    {
        var ca = Start();

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Rotate(Enum.Parse<RotationStep>(step), 1));

        Assert.Equal(CaRefusal.FailedPrecondition, refused.Reason);
        Assert.Contains($"the root rotation is {phase}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"the next step is {expected}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, ca.Authority.State.Generation);
    }

    [Fact]
    public void Rotate_PrepareTwice_SecondRefusedAndStoreUnchanged()
    {
        var ca = Start();
        ca.Rotate(RotationStep.Prepare, 1);

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Rotate(RotationStep.Prepare, 2));

        Assert.Contains("PREPARED", refused.Message, StringComparison.Ordinal);
        Assert.Contains("the next step is SWITCH (meshctl ca rotate --step switch)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, Start().Authority.State.Generation);
    }

    [Fact]
    public void Rotate_StoreMovedOnSinceTheCheck_RefusedAsConcurrentChange()
    {
        var ca = Start();
        var other = Start();
        other.Rotate(RotationStep.Prepare, 1);

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Rotate(RotationStep.Prepare, 1));

        Assert.Equal(CaRefusal.FailedPrecondition, refused.Reason);
        Assert.Contains("generation 1 became 2", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AfterTwoSteps_RestoresPhaseRootsAndSignerFromStore()
    {
        var ca = Start();
        ca.Rotate(RotationStep.Prepare, 1);
        var switched = ca.Rotate(RotationStep.Switch, 2);

        var restarted = Start().Authority.State;

        Assert.Equal((3L, RotationPhase.Switched), (restarted.Generation, restarted.Phase));
        Assert.Equal(switched.SigningRootSha256, restarted.SigningRootSha256);
        Assert.Equal(switched.TrustBundlePem, restarted.TrustBundlePem);
    }

    [Fact]
    public void Refresh_AnotherInstanceOnTheSameDatabaseRotated_FollowsAndRaisesChanged()
    {
        var a = Start();
        var b = Start();
        var changes = 0;
        b.Changed += () => changes++;

        var prepared = a.Rotate(RotationStep.Prepare, 1);
        b.Refresh();
        b.Refresh();

        Assert.Equal(1, changes);
        Assert.Equal(2, b.Current!.Generation);
        Assert.Equal(prepared.TrustBundlePem, b.Current.RootsPem);
        Assert.Equal(prepared.SigningRootSha256, b.Current.SigningRootSha256);
        b.Rotate(RotationStep.Switch, 2);
        a.Refresh();
        Assert.Equal(RotationPhase.Switched, a.Authority.State.Phase);
    }

    [Fact]
    public void Rotate_PluggedInCa_RefusedSayingHowToRotateIt()
    {
        using var root = CaSigner.CreateRoot("cluster.local", _clock.GetUtcNow());
        var cacerts = Path.Combine(_directory.Path, "cacerts");
        Directory.CreateDirectory(cacerts);
        File.WriteAllText(Path.Combine(cacerts, "ca-cert.pem"), root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(cacerts, "ca-key.pem"), root.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(cacerts, "root-cert.pem"), root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(cacerts, "cert-chain.pem"), root.ExportCertificatePem());
        var ca = Start(cacerts);

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Rotate(RotationStep.Prepare, 1));

        Assert.Equal(CaRefusal.FailedPrecondition, refused.Reason);
        Assert.Contains("plugged-in CA (--ca-dir)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("replacing the cacerts files", refused.Message, StringComparison.Ordinal);
        Assert.Equal(CaState.Sha256(root), ca.Current!.SigningRootSha256);

        // Rotated outside the mesh: replaced files raise the generation, so sidecars take the new bundle.
        var replacedAt = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(cacerts, "root-cert.pem"), replacedAt);
        Assert.Equal(new DateTimeOffset(replacedAt).ToUnixTimeSeconds(), Start(cacerts).Current!.Generation);
    }

    [Fact]
    public void Progress_ProxiesBehind_BlocksSwitchAndFinishNamingThem()
    {
        var ca = Start();
        var prepared = ca.Rotate(RotationStep.Prepare, 1);
        var oldRoot = prepared.SigningRootSha256;
        RegisteredProxy[] proxies =
        [
            Proxy("a.shop", new ProxyCertificateReport("spiffe://cluster.local/ns/shop/sa/a", _clock.GetUtcNow(), oldRoot, 2)),
            Proxy("b.shop", new ProxyCertificateReport("spiffe://cluster.local/ns/shop/sa/b", _clock.GetUtcNow(), oldRoot, 1)),
            Proxy("c.shop", null),
            Proxy("d.shop", new ProxyCertificateReport("spiffe://cluster.local/ns/shop/sa/d", _clock.GetUtcNow(), oldRoot, 1)) with { Connections = 0 },
        ];

        var progress = RotationProgressReport.Of(prepared, proxies);

        Assert.Equal((2, 1, 2), (progress.Proxies, progress.TrustingCurrentBundle, progress.SignedBySigningRoot));
        Assert.Equal("b.shop", Assert.Single(progress.Lagging).ProxyId);
        Assert.Contains("1 of 2 connected proxies do not yet trust the bundle of generation 2", progress.Blocks(RotationStep.Switch, prepared), StringComparison.Ordinal);
        Assert.Contains("b.shop (bundle generation 1", progress.Blocks(RotationStep.Switch, prepared), StringComparison.Ordinal);

        var switched = ca.Rotate(RotationStep.Switch, 2);
        var newRoot = switched.SigningRootSha256;
        proxies[1] = Proxy("b.shop", new ProxyCertificateReport("spiffe://cluster.local/ns/shop/sa/b", _clock.GetUtcNow(), newRoot, 3));
        var after = RotationProgressReport.Of(switched, proxies);

        Assert.Contains("do not yet hold a leaf of the new root", after.Blocks(RotationStep.Finish, switched), StringComparison.Ordinal);
        Assert.Contains("a.shop", after.Blocks(RotationStep.Finish, switched), StringComparison.Ordinal);
        Assert.DoesNotContain("b.shop", after.Blocks(RotationStep.Finish, switched), StringComparison.Ordinal);
        proxies[0] = Proxy("a.shop", new ProxyCertificateReport("spiffe://cluster.local/ns/shop/sa/a", _clock.GetUtcNow(), newRoot, 2));
        Assert.Null(RotationProgressReport.Of(switched, proxies).Blocks(RotationStep.Finish, switched));
    }

    private RegisteredProxy Proxy(string id, ProxyCertificateReport? certificate) =>
        new(id, new ProxyIdentity { Service = id.Split('.')[0], Namespace = "shop", Address = "10.0.0.1", InboundPort = 15006 }, "test", _clock.GetUtcNow(), _clock.GetUtcNow(), Connections: 1, Certificate: certificate);

    private CaStartup Start(string? caDir = null)
    {
        var options = new SiloOptions { DataDir = _directory.Path, CaDir = caDir };
        var ca = new CaStartup(options, Options.Create(new ConfigStoreOptions { DatabasePath = Path.Combine(_directory.Path, "mesh.db") }), _clock, NullLoggerFactory.Instance);
        _cas.Add(ca);
        ca.Load();
        return ca;
    }

    private static X509Certificate2Collection Bundle(IssuedCertificate issued)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(issued.TrustBundlePem);
        return bundle;
    }

    /// <summary>SHA-256 of the root in the issued bundle the leaf chains to.</summary>
    private static string RootOf(IssuedCertificate issued)
    {
        using var leaf = Leaf(issued);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(Bundle(issued));
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        return CaState.Sha256(chain.ChainElements[^1].Certificate);
    }
}
