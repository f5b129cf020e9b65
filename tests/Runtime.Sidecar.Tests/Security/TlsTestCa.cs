using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Tests.Security;

/// <summary>
/// An in-memory mesh CA for tests: an ECDSA P-256 root issuing leaves whose only SAN is the given URI, and a
/// certificate source per workload backed by it.
/// </summary>
internal sealed class TlsTestCa : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TlsTestCa(string name = "mesh test root")
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddYears(10));
    }

    public X509Certificate2 Root { get; }

    /// <summary>A server leaf for DNS name <paramref name="dnsName"/> (upstreams outside the mesh).</summary>
    public X509Certificate2 IssueServer(string dnsName) => Issue([], dnsName: dnsName);

    /// <summary>A leaf for <paramref name="sanUris"/> (normally one SPIFFE id), valid from <paramref name="notBefore"/> to <paramref name="notAfter"/>.</summary>
    public X509Certificate2 Issue(string[] sanUris, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, string? dnsName = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=workload", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var uri in sanUris)
        {
            san.AddUri(new Uri(uri));
        }

        if (dnsName is not null)
        {
            san.AddDnsName(dnsName);
        }

        request.CertificateExtensions.Add(san.Build(critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Root, notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddHours(24), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // A PKCS#12 round trip gives OpenSSL a key it can use for TLS on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this CA's root alone.</summary>
    public bool Chains(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>The SPIFFE id of a workload in the test mesh.</summary>
    public static string SpiffeId(string serviceAccount, string ns = "default", string trustDomain = "cluster.local") =>
        $"spiffe://{trustDomain}/ns/{ns}/sa/{serviceAccount}";

    /// <summary>A certificate source for <paramref name="spiffeId"/>, trusting this CA's root in trust domain cluster.local.</summary>
    public Source SourceFor(string spiffeId) => new(new WorkloadCertificate(Issue([spiffeId]), [], spiffeId), [Root], ["cluster.local"]);

    public void Dispose()
    {
        Root.Dispose();
        _key.Dispose();
    }

    /// <summary>A fixed certificate source.</summary>
    internal sealed class Source(WorkloadCertificate? current, X509Certificate2[] roots, string[] trustDomains) : IWorkloadCertificateSource
    {
        public WorkloadCertificate? Current { get; set; } = current;

        public X509Certificate2Collection TrustBundle { get; } = [.. roots];

        public IReadOnlyList<string> TrustDomains { get; } = trustDomains;
    }
}
