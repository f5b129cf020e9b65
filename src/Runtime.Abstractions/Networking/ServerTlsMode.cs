namespace Runtime.Abstractions.Networking;

/// <summary>TLS modes of a gateway listener.</summary>
public enum ServerTlsMode
{
    /// <summary><c>PASSTHROUGH</c>: Route by SNI without terminating TLS.</summary>
    Passthrough,

    /// <summary><c>SIMPLE</c>: Terminate TLS.</summary>
    Simple,

    /// <summary><c>MUTUAL</c>: Terminate TLS and require client certificates.</summary>
    Mutual,

    /// <summary><c>AUTO_PASSTHROUGH</c>: Pass through, routing on SNI alone.</summary>
    AutoPassthrough,

    /// <summary><c>ISTIO_MUTUAL</c>: Mutual TLS with the mesh identity.</summary>
    IstioMutual,

    /// <summary><c>OPTIONAL_MUTUAL</c>: Request but do not require client certificates.</summary>
    OptionalMutual,
}
