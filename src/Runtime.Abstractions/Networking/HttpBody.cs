using Runtime.Abstractions.Binding;

namespace Runtime.Abstractions.Networking;

/// <summary>A response body given inline.</summary>
public sealed record HttpBody
{
    /// <summary>Body as text.</summary>
    [MeshField("string")]
    public string? Text { get; init; }

    /// <summary>Body as base64.</summary>
    public string? Bytes { get; init; }
}
