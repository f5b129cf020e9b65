using Runtime.Abstractions.Binding;

namespace Runtime.Abstractions.Networking;

/// <summary>TLS protocol versions.</summary>
public enum TlsProtocolVersion
{
    /// <summary><c>TLS_AUTO</c>: The proxy default.</summary>
    TlsAuto,

    /// <summary><c>TLSV1_0</c>: TLS 1.0.</summary>
    [MeshField("TLSV1_0")]
    Tlsv10,

    /// <summary><c>TLSV1_1</c>: TLS 1.1.</summary>
    [MeshField("TLSV1_1")]
    Tlsv11,

    /// <summary><c>TLSV1_2</c>: TLS 1.2.</summary>
    [MeshField("TLSV1_2")]
    Tlsv12,

    /// <summary><c>TLSV1_3</c>: TLS 1.3.</summary>
    [MeshField("TLSV1_3")]
    Tlsv13,
}
