namespace Runtime.Abstractions.Mesh;

/// <summary>The <c>logFormat</c> of an <c>envoyFileAccessLog</c> provider: a text template or JSON labels.</summary>
public sealed record FileLogFormat
{
    /// <summary>An Envoy format string (see <see cref="AccessLogTemplate"/>).</summary>
    public string? Text { get; init; }

    /// <summary>JSON lines with these keys, each value an Envoy format string.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
