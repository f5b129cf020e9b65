using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Silo.Ca;
using Runtime.Silo.Tests.Testing;

namespace Runtime.Silo.Tests.Ca;

/// <summary>Builds in-memory CAs and workload CSRs for the CA tests.</summary>
internal static class CaTestKit
{
    public static CaSettings Settings(string trustDomain = "cluster.local", params string[] aliases) =>
        new(trustDomain, aliases, TimeSpan.FromHours(24), TimeSpan.FromHours(48), null);

    public static CertificateAuthority SelfSigned(TimeProvider time, CaSettings? settings = null, byte[]? tokenKey = null)
    {
        settings ??= Settings();
        var root = CaSigner.CreateRoot(settings.TrustDomain, time.GetUtcNow());
        var signer = new CaSigner(root, [], [X509CertificateLoader.LoadCertificate(root.RawData)], CaSigner.SelfSignedMode);
        return new CertificateAuthority(signer, new BootstrapTokenIssuer(tokenKey ?? RandomNumberGenerator.GetBytes(32), settings.TrustDomain), settings, time, NullLogger.Instance);
    }

    /// <summary>A CSR for <paramref name="key"/>, optionally asking for URI and DNS SANs.</summary>
    public static byte[] Csr(AsymmetricAlgorithm key, string? uri = null, string? dns = null)
    {
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest("CN=workload", ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest("CN=workload", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        if (uri is not null || dns is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            if (uri is not null)
            {
                san.AddUri(new Uri(uri));
            }

            if (dns is not null)
            {
                san.AddDnsName(dns);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        return request.CreateSigningRequest();
    }

    public static X509Certificate2 Leaf(IssuedCertificate issued) => X509Certificate2.CreateFromPem(issued.LeafPem);

    /// <summary>Renewal proof made with the current certificate's key.</summary>
    public static RenewalProof Renewal(IssuedCertificate current, ECDsa currentKey, byte[] newCsr)
    {
        var chain = new List<byte[]> { Leaf(current).RawData };
        var intermediates = new X509Certificate2Collection();
        if (current.ChainPem.Length > 0)
        {
            intermediates.ImportFromPem(current.ChainPem);
        }

        chain.AddRange(intermediates.Select(c => c.RawData));
        return new RenewalProof(chain, currentKey.SignData(newCsr, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    public static ManualTimeProvider Clock() => new();
}
