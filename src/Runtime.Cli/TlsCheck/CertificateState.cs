namespace Runtime.Cli.TlsCheck;

/// <summary>Whether a workload holds a workload certificate, as far as its heartbeats tell.</summary>
internal enum CertificateState
{
    /// <summary>No proxy in the mesh reports certificates (the control plane does not relay them): cannot tell.</summary>
    Unknown,

    /// <summary>It reports a certificate that is valid now.</summary>
    Present,

    /// <summary>Other proxies report certificates and this one reports none, or an expired one.</summary>
    Absent,
}
