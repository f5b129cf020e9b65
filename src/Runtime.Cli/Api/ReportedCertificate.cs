using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Api;

/// <summary>The workload certificate a sidecar says it holds (from its heartbeat).</summary>
/// <param name="SpiffeId">The SPIFFE id of its leaf.</param>
/// <param name="NotAfter">When the leaf expires; null when not reported.</param>
internal sealed record ReportedCertificate(string SpiffeId, DateTimeOffset? NotAfter)
{
    /// <summary>The certificate of a heartbeat report; null when the proxy reported none.</summary>
    public static ReportedCertificate? From(V1.CertificateReport? report) =>
        report is { SpiffeId.Length: > 0 } ? new ReportedCertificate(report.SpiffeId, report.NotAfter?.ToDateTimeOffset()) : null;
}
