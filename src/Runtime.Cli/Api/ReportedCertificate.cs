namespace Runtime.Cli.Api;

/// <summary>The workload certificate a sidecar says it holds (from its heartbeat).</summary>
/// <param name="SpiffeId">The SPIFFE id of its leaf.</param>
/// <param name="NotAfter">When the leaf expires; null when not reported.</param>
internal sealed record ReportedCertificate(string SpiffeId, DateTimeOffset? NotAfter);
