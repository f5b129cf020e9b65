namespace Runtime.Sidecar.Metrics;

/// <summary>Istio's <c>connection_security_policy</c> label.</summary>
internal enum SecurityPolicy : byte
{
    /// <summary><c>unknown</c>: what the client sidecar reports (Istio sets the label on the server side only).</summary>
    Unknown,

    /// <summary><c>none</c>: the request reached the server sidecar in plaintext.</summary>
    None,

    /// <summary><c>mutual_tls</c>: the request reached the server sidecar over verified mTLS.</summary>
    MutualTls,
}
