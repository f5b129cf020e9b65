namespace Runtime.Cli.TlsCheck;

/// <summary>What a client sidecar puts on the wire towards a mesh service port.</summary>
internal enum ClientOrigination
{
    /// <summary>Plaintext.</summary>
    Plaintext,

    /// <summary>mTLS with the mesh workload certificate (auto mTLS or <c>ISTIO_MUTUAL</c>).</summary>
    MeshMtls,

    /// <summary>TLS without a client certificate (<c>SIMPLE</c>).</summary>
    Simple,

    /// <summary>TLS with a certificate from the DestinationRule (<c>MUTUAL</c>).</summary>
    Mutual,

    /// <summary>Nothing: <c>ISTIO_MUTUAL</c> without a workload certificate fails the connection.</summary>
    Fails,
}
