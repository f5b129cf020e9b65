using System.Security.Cryptography.X509Certificates;

namespace Runtime.Sidecar.Security;

/// <summary>What one successful signing call returned.</summary>
/// <param name="Certificate">The new workload certificate with its key.</param>
/// <param name="TrustBundle">The roots to trust.</param>
/// <param name="TrustDomains">The mesh trust domain, then its aliases.</param>
/// <param name="Generation">The CA generation of <paramref name="TrustBundle"/>.</param>
internal sealed record CaSignResult(WorkloadCertificate Certificate, X509Certificate2Collection TrustBundle, IReadOnlyList<string> TrustDomains, long Generation);
