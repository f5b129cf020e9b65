namespace Runtime.Sidecar.Security;

/// <summary>What the sidecar holds now, as its heartbeats report it to the control plane.</summary>
/// <param name="Certificate">The workload certificate.</param>
/// <param name="RootSha256">SHA-256 (DER, lowercase hex) of the root the leaf chains to.</param>
/// <param name="TrustBundleGeneration">The CA generation of the trust bundle peers are verified with.</param>
internal sealed record HeldCertificate(WorkloadCertificate Certificate, string RootSha256, long TrustBundleGeneration);
