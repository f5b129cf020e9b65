namespace Runtime.Silo.Ca;

/// <summary>One self-signed root as the store keeps it.</summary>
/// <param name="CertificateDer">The root certificate, DER.</param>
/// <param name="KeyPkcs8">Its private key, PKCS#8 (unencrypted, as the rest of the CA material).</param>
internal sealed record StoredRoot(byte[] CertificateDer, byte[] KeyPkcs8);
