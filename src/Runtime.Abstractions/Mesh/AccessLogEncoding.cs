using Runtime.Abstractions.Binding;

namespace Runtime.Abstractions.Mesh;

/// <summary>MeshConfig <c>accessLogEncoding</c>.</summary>
public enum AccessLogEncoding
{
    /// <summary>Envoy's text lines.</summary>
    [MeshField("TEXT")]
    Text,

    /// <summary>One JSON object per line.</summary>
    [MeshField("JSON")]
    Json,
}
