using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Silo.Ca;
using Runtime.Silo.Tests.Testing;
using static Runtime.Silo.Tests.Ca.CaTestKit;

namespace Runtime.Silo.Tests.Ca;

public sealed class PluggedInCaTests
{
    [Fact]
    public void Load_CacertsDirectory_IssuesLeavesWhoseChainVerifiesWithTheRootOnly()
    {
        var clock = Clock();
        using var directory = new TempDirectory();
        using var root = CaSigner.CreateRoot("cluster.local", clock.GetUtcNow());
        WriteIntermediate(directory.Path, root, clock.GetUtcNow());

        using var ca = new CertificateAuthority(
            PluggedInCa.Load(directory.Path, clock.GetUtcNow()), new BootstrapTokenIssuer(RandomNumberGenerator.GetBytes(32), "cluster.local"), Settings(), clock, NullLogger.Instance);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (token, _) = ca.CreateToken("default", "reviews", null);
        var issued = ca.Sign(Csr(key), new TokenProof(token), null);

        using var leaf = Leaf(issued);
        var intermediates = new X509Certificate2Collection();
        intermediates.ImportFromPem(issued.ChainPem);
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPem(issued.TrustBundlePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = clock.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.CustomTrustStore.AddRange(bundle);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(3, chain.ChainElements.Count);
        Assert.Equal(root.Thumbprint, Assert.Single(bundle).Thumbprint);
        Assert.Equal("CN=Test intermediate", Assert.Single(intermediates).Subject);
        Assert.Equal(CaSigner.PluggedInMode, ca.GetStatus().Mode);

        // A renewal presenting leaf + intermediate is accepted too.
        var csr = Csr(key);
        var renewed = ca.Sign(csr, Renewal(issued, key, csr), null);
        Assert.Equal(issued.SpiffeId, renewed.SpiffeId);
    }

    [Fact]
    public void Load_MissingFilesAndWrongKey_ReportsEveryProblem()
    {
        var clock = Clock();
        using var directory = new TempDirectory();
        using var root = CaSigner.CreateRoot("cluster.local", clock.GetUtcNow());
        WriteIntermediate(directory.Path, root, clock.GetUtcNow());
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(directory.Path, "ca-key.pem"), otherKey.ExportPkcs8PrivateKeyPem());
        File.Delete(Path.Combine(directory.Path, "root-cert.pem"));
        File.Delete(Path.Combine(directory.Path, "cert-chain.pem"));

        var failure = Assert.Throws<InvalidOperationException>(() => PluggedInCa.Load(directory.Path, clock.GetUtcNow()));

        Assert.Contains("root-cert.pem is missing", failure.Message, StringComparison.Ordinal);
        Assert.Contains("cert-chain.pem is missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyNotMatchingCertificate_IsRefused()
    {
        var clock = Clock();
        using var directory = new TempDirectory();
        using var root = CaSigner.CreateRoot("cluster.local", clock.GetUtcNow());
        WriteIntermediate(directory.Path, root, clock.GetUtcNow());
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(directory.Path, "ca-key.pem"), otherKey.ExportPkcs8PrivateKeyPem());

        var failure = Assert.Throws<InvalidOperationException>(() => PluggedInCa.Load(directory.Path, clock.GetUtcNow()));

        Assert.Contains("ca-key.pem", failure.Message, StringComparison.Ordinal);
    }

    private static void WriteIntermediate(string directory, X509Certificate2 root, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Test intermediate", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var intermediate = request.Create(root, now.AddMinutes(-1), now.AddYears(1), [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(directory, "ca-cert.pem"), intermediate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "ca-key.pem"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(directory, "root-cert.pem"), root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "cert-chain.pem"), intermediate.ExportCertificatePem() + "\n" + root.ExportCertificatePem());
    }
}
