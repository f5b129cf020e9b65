namespace Runtime.Abstractions.Networking;

/// <summary>TLS modes towards an upstream.</summary>
public enum ClientTlsMode
{
    /// <summary><c>DISABLE</c>: Plain text.</summary>
    Disable,

    /// <summary><c>SIMPLE</c>: TLS, verifying the server.</summary>
    Simple,

    /// <summary><c>MUTUAL</c>: TLS with a client certificate you provide.</summary>
    Mutual,

    /// <summary><c>ISTIO_MUTUAL</c>: TLS with the mesh identity.</summary>
    IstioMutual,
}
