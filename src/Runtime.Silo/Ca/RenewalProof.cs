namespace Runtime.Silo.Ca;

/// <summary>
/// The caller's current certificate and a signature over the CSR made with its key (renewal). Verifying the
/// signature shows the caller holds the current key, since the gRPC channel carries no TLS client certificate.
/// </summary>
/// <param name="ChainDer">The current leaf (DER) first, then its intermediates.</param>
/// <param name="Signature">Over the CSR's DER bytes with SHA-256: ECDSA as IEEE P1363 (r||s), or RSA PKCS#1 v1.5.</param>
internal sealed record RenewalProof(IReadOnlyList<byte[]> ChainDer, byte[] Signature) : IdentityProof;
