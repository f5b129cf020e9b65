namespace Runtime.Abstractions.Mesh;

/// <summary>An <c>envoyFileAccessLog</c> extension provider.</summary>
public sealed record FileAccessLogProvider
{
    /// <summary><c>/dev/stdout</c> or a file path.</summary>
    public string? Path { get; init; }

    /// <summary>Line format.</summary>
    public FileLogFormat? LogFormat { get; init; }
}
