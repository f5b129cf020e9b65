using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Runtime.Silo.Ca;
using static Runtime.Silo.Tests.Ca.CaTestKit;

namespace Runtime.Silo.Tests.Ca;

public sealed class CertificateAuthorityTests
{
    private const string ReviewsId = "spiffe://cluster.local/ns/default/sa/reviews";

    [Fact]
    public void Sign_WithToken_IssuesLeafWhoseOnlySanIsTheProvenIdentity()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);

        var issued = ca.Sign(Csr(key, dns: "evil.example.com"), new TokenProof(token), null);

        using var leaf = Leaf(issued);
        Assert.Equal(ReviewsId, issued.SpiffeId.Uri);
        Assert.Equal([ReviewsId], SubjectAlternativeNames.ReadUris(leaf));
        var san = Assert.Single(leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Empty(san.EnumerateDnsNames());
        Assert.True(san.Critical);
        Assert.Equal("", leaf.Subject);
        var eku = Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], eku.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).Order());
        var usage = Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>());
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, usage.KeyUsages);
        Assert.False(Assert.Single(leaf.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal(clock.GetUtcNow().AddMinutes(-5).UtcDateTime, leaf.NotBefore.ToUniversalTime());
        Assert.Equal(clock.GetUtcNow().AddHours(24).UtcDateTime, leaf.NotAfter.ToUniversalTime());
        using var leafKey = leaf.GetECDsaPublicKey()!;
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), leafKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(1, ca.GetStatus().Issued);
    }

    [Fact]
    public void Sign_TtlAboveMaximum_IsCappedAtMaximum()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);

        var issued = ca.Sign(Csr(key), new TokenProof(token), TimeSpan.FromDays(30));

        using var leaf = Leaf(issued);
        Assert.Equal(clock.GetUtcNow().AddHours(48).UtcDateTime, leaf.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Sign_SigningCertificateExpiresFirst_LeafEndsWithIt()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", TimeSpan.FromDays(365));
        var rootNotAfter = ca.GetStatus().RootNotAfter;
        clock.Advance(rootNotAfter - clock.GetUtcNow() - TimeSpan.FromHours(1));

        // The token is a year old by now, so prove with a fresh one.
        var (fresh, _) = ca.CreateToken("default", "reviews", null);
        var issued = ca.Sign(Csr(key), new TokenProof(fresh), null);

        using var leaf = Leaf(issued);
        Assert.Equal(rootNotAfter.UtcDateTime, leaf.NotAfter.ToUniversalTime());
        Assert.NotEqual(token, fresh);
    }

    [Fact]
    public void Sign_CsrAskingForAnotherIdentity_IsPermissionDenied()
    {
        using var ca = SelfSigned(Clock());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);

        var refused = Assert.Throws<CaRequestRefusedException>(() =>
            ca.Sign(Csr(key, uri: "spiffe://cluster.local/ns/default/sa/admin"), new TokenProof(token), null));

        Assert.Equal(CaRefusal.PermissionDenied, refused.Reason);
        Assert.Contains("sa/admin", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, ca.GetStatus().Rejected);
        Assert.Equal(0, ca.GetStatus().Issued);
    }

    [Fact]
    public void Sign_CsrAskingForTheProvenIdentity_IsIssued()
    {
        using var ca = SelfSigned(Clock());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);

        var issued = ca.Sign(Csr(key, uri: ReviewsId), new TokenProof(token), null);

        Assert.Equal(ReviewsId, issued.SpiffeId.Uri);
    }

    [Fact]
    public void Sign_TokenForNamespaceA_CannotObtainNamespaceB()
    {
        using var ca = SelfSigned(Clock());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("team-a", "web", null);

        var refused = Assert.Throws<CaRequestRefusedException>(() =>
            ca.Sign(Csr(key, uri: "spiffe://cluster.local/ns/team-b/sa/web"), new TokenProof(token), null));
        var issued = ca.Sign(Csr(key), new TokenProof(token), null);

        Assert.Equal(CaRefusal.PermissionDenied, refused.Reason);
        Assert.Equal("spiffe://cluster.local/ns/team-a/sa/web", issued.SpiffeId.Uri);
    }

    [Fact]
    public void Sign_CsrWithBadSignature_IsRefused()
    {
        using var ca = SelfSigned(Clock());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);
        var csr = Csr(key);
        csr[^3] ^= 0x55;

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(csr, new TokenProof(token), null));

        Assert.Equal(CaRefusal.InvalidRequest, refused.Reason);
    }

    [Fact]
    public void Sign_CsrNotDer_IsRefused()
    {
        using var ca = SelfSigned(Clock());
        var (token, _) = ca.CreateToken("default", "reviews", null);

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign([1, 2, 3], new TokenProof(token), null));

        Assert.Equal(CaRefusal.InvalidRequest, refused.Reason);
    }

    [Fact]
    public void Sign_ExpiredToken_IsUnauthenticated()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", TimeSpan.FromMinutes(10));
        clock.Advance(TimeSpan.FromMinutes(11));

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(Csr(key), new TokenProof(token), null));

        Assert.Equal(CaRefusal.Unauthenticated, refused.Reason);
        Assert.Contains("expired", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_TokenOfAnotherControlPlane_IsUnauthenticated()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var other = SelfSigned(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (foreign, _) = other.CreateToken("default", "reviews", null);

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(Csr(key), new TokenProof(foreign), null));

        Assert.Equal(CaRefusal.Unauthenticated, refused.Reason);
    }

    [Fact]
    public void Sign_TamperedToken_IsUnauthenticated()
    {
        using var ca = SelfSigned(Clock());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("reviews", "admin", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload))}.{parts[2]}";

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(Csr(key), new TokenProof(tampered), null));

        Assert.Equal(CaRefusal.Unauthenticated, refused.Reason);
    }

    [Fact]
    public void Sign_RenewalWithCurrentCertificate_IssuesSameIdentityForNewKey()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", TimeSpan.FromHours(1));
        var current = ca.Sign(Csr(first), new TokenProof(token), null);
        clock.Advance(TimeSpan.FromHours(12));
        var csr = Csr(second);

        var renewed = ca.Sign(csr, Renewal(current, first, csr), null);

        using var leaf = Leaf(renewed);
        Assert.Equal(ReviewsId, renewed.SpiffeId.Uri);
        Assert.Equal(clock.GetUtcNow().AddHours(24).UtcDateTime, leaf.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Sign_RenewalProofSignedWithAnotherKey_IsUnauthenticated()
    {
        using var ca = SelfSigned(Clock());
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var thief = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);
        var current = ca.Sign(Csr(first), new TokenProof(token), null);
        var csr = Csr(thief);

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(csr, Renewal(current, thief, csr), null));

        Assert.Equal(CaRefusal.Unauthenticated, refused.Reason);
    }

    [Fact]
    public void Sign_RenewalWithExpiredCertificate_IsUnauthenticated()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);
        var current = ca.Sign(Csr(first), new TokenProof(token), null);
        clock.Advance(TimeSpan.FromHours(25));
        var csr = Csr(first);

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(csr, Renewal(current, first, csr), null));

        Assert.Equal(CaRefusal.Unauthenticated, refused.Reason);
    }

    [Fact]
    public void Sign_RenewalWithCertificateOfForeignCa_IsUnauthenticated()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var foreignCa = SelfSigned(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = foreignCa.CreateToken("default", "reviews", null);
        var foreign = foreignCa.Sign(Csr(key), new TokenProof(token), null);
        var csr = Csr(key);

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(csr, Renewal(foreign, key, csr), null));

        Assert.Equal(CaRefusal.Unauthenticated, refused.Reason);
        Assert.Contains("does not chain", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_RenewalAskingForAnotherIdentity_IsPermissionDenied()
    {
        using var ca = SelfSigned(Clock());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);
        var current = ca.Sign(Csr(key), new TokenProof(token), null);
        var csr = Csr(key, uri: "spiffe://cluster.local/ns/kube-system/sa/admin");

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(csr, Renewal(current, key, csr), null));

        Assert.Equal(CaRefusal.PermissionDenied, refused.Reason);
    }

    [Fact]
    public void Sign_RsaKeys_AcceptsAtLeast2048AndRefusesSmaller()
    {
        using var ca = SelfSigned(Clock());
        using var strong = RSA.Create(2048);
        using var weak = RSA.Create(1024);
        var (token, _) = ca.CreateToken("default", "reviews", null);

        var issued = ca.Sign(Csr(strong), new TokenProof(token), null);
        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(Csr(weak), new TokenProof(token), null));

        Assert.Equal(ReviewsId, issued.SpiffeId.Uri);
        Assert.Equal(CaRefusal.InvalidRequest, refused.Reason);
    }

    [Fact]
    public void Sign_P384Key_IsAcceptedAndP521Refused()
    {
        using var ca = SelfSigned(Clock());
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var (token, _) = ca.CreateToken("default", "reviews", null);

        var issued = ca.Sign(Csr(p384), new TokenProof(token), null);
        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.Sign(Csr(p521), new TokenProof(token), null));

        Assert.Equal(ReviewsId, issued.SpiffeId.Uri);
        Assert.Equal(CaRefusal.InvalidRequest, refused.Reason);
    }

    [Fact]
    public void Sign_IssuedLeaf_VerifiesAgainstTrustBundleOnly()
    {
        var clock = Clock();
        using var ca = SelfSigned(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);
        var issued = ca.Sign(Csr(key), new TokenProof(token), null);
        using var leaf = Leaf(issued);
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(issued.TrustBundlePem);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(bundle);

        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal("", issued.ChainPem);
    }

    [Theory]
    [InlineData("", "reviews")]
    [InlineData("Default", "reviews")]
    [InlineData("default", "a/b")]
    public void CreateToken_InvalidNames_AreRefused(string @namespace, string serviceAccount)
    {
        using var ca = SelfSigned(Clock());

        var refused = Assert.Throws<CaRequestRefusedException>(() => ca.CreateToken(@namespace, serviceAccount, null));

        Assert.Equal(CaRefusal.InvalidRequest, refused.Reason);
    }
}
