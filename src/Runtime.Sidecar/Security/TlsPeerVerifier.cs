using System.Security.Cryptography.X509Certificates;

namespace Runtime.Sidecar.Security;

/// <summary>
/// Verifies a mesh peer's certificate, for both directions: it must chain to the current trust bundle only (no
/// system roots, no revocation or AIA fetches), be valid now, and carry exactly one SPIFFE URI SAN in the mesh
/// trust domain or one of its aliases.
/// </summary>
internal sealed class TlsPeerVerifier(IWorkloadCertificateSource source, TimeProvider time)
{
    /// <summary>The certificates this verifier reads its trust from.</summary>
    public IWorkloadCertificateSource Source => source;

    /// <summary>
    /// The peer's identity, or null with the reason in <paramref name="problem"/>. <paramref name="presented"/> holds
    /// the intermediates the peer sent (used to build the chain, never trusted on their own).
    /// </summary>
    public PeerIdentity? Verify(X509Certificate2 certificate, IEnumerable<X509Certificate2> presented, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(presented);
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            problem = $"the certificate is not valid now (valid {certificate.NotBefore.ToUniversalTime():O} to {certificate.NotAfter.ToUniversalTime():O})";
            return null;
        }

        var bundle = source.TrustBundle;
        if (bundle.Count == 0)
        {
            problem = "no trust bundle yet";
            return null;
        }

        using (var chain = new X509Chain())
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(bundle);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            foreach (var intermediate in presented)
            {
                if (!ReferenceEquals(intermediate, certificate) && intermediate.Thumbprint != certificate.Thumbprint)
                {
                    chain.ChainPolicy.ExtraStore.Add(intermediate);
                }
            }

            if (!chain.Build(certificate))
            {
                var status = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
                problem = $"the certificate does not chain to the mesh trust bundle ({status})";
                return null;
            }
        }

        if (TlsSpiffeId.Read(certificate, out problem) is not { } identity)
        {
            return null;
        }

        if (!source.TrustDomains.Contains(identity.TrustDomain, StringComparer.Ordinal))
        {
            problem = $"trust domain '{identity.TrustDomain}' is not the mesh's ({string.Join(", ", source.TrustDomains)})";
            return null;
        }

        return identity;
    }
}
