namespace Runtime.Cli.TlsCheck;

/// <summary>Whether clients and servers of a service port agree on TLS.</summary>
internal enum TlsCheckStatus
{
    /// <summary>Connections succeed.</summary>
    Ok,

    /// <summary>Connections succeed only under a condition the control plane cannot see (e.g. a user-provided client certificate).</summary>
    Warning,

    /// <summary>Connections fail (or, for plaintext towards STRICT, are refused).</summary>
    Conflict,
}
