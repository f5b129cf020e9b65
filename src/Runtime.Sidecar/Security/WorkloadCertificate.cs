using System.Security.Cryptography.X509Certificates;

namespace Runtime.Sidecar.Security;

/// <summary>
/// The workload's current certificate: the leaf (with its private key, generated in this process and never sent
/// anywhere), the intermediates up to (not including) the root, and the SPIFFE identity in the leaf's URI SAN.
/// Immutable; a renewal produces a new instance.
/// </summary>
/// <param name="Leaf">The leaf certificate with its private key.</param>
/// <param name="Chain">Intermediate certificates to send with the leaf; empty when the root signed the leaf.</param>
/// <param name="SpiffeId">The identity, e.g. <c>spiffe://cluster.local/ns/default/sa/reviews</c>.</param>
internal sealed record WorkloadCertificate(X509Certificate2 Leaf, X509Certificate2Collection Chain, string SpiffeId)
{
    /// <summary>When the leaf stops being valid.</summary>
    public DateTimeOffset NotAfter => Leaf.NotAfter.ToUniversalTime();
}
