namespace Runtime.Silo.Discovery;

/// <summary>The certificate and trust bundle a proxy reported in its last heartbeat.</summary>
/// <param name="SpiffeId">The SPIFFE id in its leaf.</param>
/// <param name="NotAfter">When its leaf expires.</param>
/// <param name="RootSha256">SHA-256 (DER, lowercase hex) of the root its leaf chains to.</param>
/// <param name="TrustBundleGeneration">The CA generation of the trust bundle it verifies peers with.</param>
internal sealed record ProxyCertificateReport(string SpiffeId, DateTimeOffset NotAfter, string RootSha256, long TrustBundleGeneration);
