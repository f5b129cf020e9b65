using System.Security.Cryptography.X509Certificates;

namespace Runtime.Abstractions.Security;

/// <summary>Which root of a trust bundle a certificate chains to (during a root rotation a bundle holds two).</summary>
public static class TrustChain
{
    /// <summary>
    /// The member of <paramref name="roots"/> that <paramref name="certificate"/> chains to through
    /// <paramref name="intermediates"/>, or null when it chains to none. Validity periods are ignored (this names
    /// the root; it does not decide whether to trust); no revocation check, no downloads.
    /// </summary>
    public static X509Certificate2? RootOf(X509Certificate2 certificate, IEnumerable<X509Certificate2> intermediates, X509Certificate2Collection roots)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        ArgumentNullException.ThrowIfNull(roots);
        if (roots.Count == 0)
        {
            return null;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTimeIgnored = true;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        if (!chain.Build(certificate))
        {
            return null;
        }

        var top = chain.ChainElements[^1].Certificate;
        return roots.FirstOrDefault(r => r.RawDataMemory.Span.SequenceEqual(top.RawDataMemory.Span));
    }
}
