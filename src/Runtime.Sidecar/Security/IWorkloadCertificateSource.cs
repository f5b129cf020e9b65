using System.Security.Cryptography.X509Certificates;

namespace Runtime.Sidecar.Security;

/// <summary>
/// Where the sidecar's TLS code reads its identity and trust from. Read on every handshake, so implementations
/// swap whole values (never mutate them) and reads are lock-free.
/// </summary>
internal interface IWorkloadCertificateSource
{
    /// <summary>The current workload certificate, or null until the first one was issued.</summary>
    WorkloadCertificate? Current { get; }

    /// <summary>The roots peers must chain to (more than one while a root rotation is in progress).</summary>
    X509Certificate2Collection TrustBundle { get; }

    /// <summary>The mesh trust domain first, then its aliases; a peer's SPIFFE id must be in one of them.</summary>
    IReadOnlyList<string> TrustDomains { get; }
}
