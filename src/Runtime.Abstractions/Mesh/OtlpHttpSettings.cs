using System.Text.Json;

namespace Runtime.Abstractions.Mesh;

/// <summary>The <c>http</c> block of an <c>opentelemetry</c> provider.</summary>
public sealed record OtlpHttpSettings
{
    /// <summary>Request path; <c>/v1/traces</c> when empty.</summary>
    public string? Path { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Timeout { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Headers { get; init; }
}
