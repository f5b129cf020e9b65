using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Security;

namespace Runtime.Silo.Ca;

/// <summary>
/// Everything the CA signs and publishes with at one generation: the signer (signing certificate, intermediates,
/// roots), the rotation phase, and the PEM texts and fingerprints derived from them. Immutable; the CA swaps whole
/// states, so a signature never mixes two generations.
/// </summary>
internal sealed class CaState : IDisposable
{
    /// <summary>Creates the state of <paramref name="signer"/> at <paramref name="generation"/>.</summary>
    public CaState(CaSigner signer, long generation, RotationPhase phase)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Signer = signer;
        Generation = generation;
        Phase = phase;
        ChainPem = string.Concat(signer.Intermediates.Select(c => c.ExportCertificatePem() + "\n"));
        TrustBundlePem = string.Concat(signer.Roots.Select(c => c.ExportCertificatePem() + "\n"));
        SigningRoot = FindSigningRoot(signer);
        SigningRootSha256 = Sha256(SigningRoot);
    }

    /// <summary>Signing certificate and key, intermediates and trusted roots.</summary>
    public CaSigner Signer { get; }

    /// <summary>Raised by every change of roots or signer.</summary>
    public long Generation { get; }

    /// <summary>Where a root rotation stands.</summary>
    public RotationPhase Phase { get; }

    /// <summary>Intermediates sent with each leaf; empty when a root signs.</summary>
    public string ChainPem { get; }

    /// <summary>The trusted roots, PEM.</summary>
    public string TrustBundlePem { get; }

    /// <summary>The root new leaves chain to.</summary>
    public X509Certificate2 SigningRoot { get; }

    /// <summary>SHA-256 of <see cref="SigningRoot"/> (DER), lowercase hex.</summary>
    public string SigningRootSha256 { get; }

    /// <summary>SHA-256 of a certificate's DER, lowercase hex (the fingerprint used on the wire).</summary>
    public static string Sha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawDataMemory.Span));
    }

    /// <summary>The bundle snapshots carry to every proxy.</summary>
    public MeshTrustBundle ToTrustBundle(IReadOnlyList<string> trustDomains) => new(TrustBundlePem, trustDomains, Generation, SigningRootSha256);

    /// <inheritdoc />
    public void Dispose() => Signer.Dispose();

    /// <summary>The root the signing certificate chains to (itself when it is a root in the bundle).</summary>
    private static X509Certificate2 FindSigningRoot(CaSigner signer)
    {
        var signing = signer.SigningCertificate;
        if (signer.Roots.FirstOrDefault(r => r.RawDataMemory.Span.SequenceEqual(signing.RawDataMemory.Span)) is { } self)
        {
            return self;
        }

        // A plugged-in CA was checked to chain to its roots at load; fall back to the first root otherwise.
        return TrustChain.RootOf(signing, signer.Intermediates, signer.Roots) ?? signer.Roots[0];
    }
}
