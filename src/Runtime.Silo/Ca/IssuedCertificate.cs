namespace Runtime.Silo.Ca;

/// <summary>What the CA returns for a signed CSR.</summary>
/// <param name="LeafPem">The leaf certificate.</param>
/// <param name="ChainPem">Intermediates up to (not including) the root; empty when the root signed the leaf.</param>
/// <param name="TrustBundlePem">The roots.</param>
/// <param name="SpiffeId">The identity in the leaf's only SAN.</param>
/// <param name="TrustDomains">The mesh trust domain, then its aliases.</param>
/// <param name="Generation">The CA generation the leaf and <paramref name="TrustBundlePem"/> belong to.</param>
internal sealed record IssuedCertificate(string LeafPem, string ChainPem, string TrustBundlePem, SpiffeId SpiffeId, IReadOnlyList<string> TrustDomains, long Generation);
