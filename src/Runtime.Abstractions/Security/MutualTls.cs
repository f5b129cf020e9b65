namespace Runtime.Abstractions.Security;

/// <summary>A mutual TLS setting.</summary>
public sealed record MutualTls
{
    /// <summary>The mode.</summary>
    public MutualTlsMode? Mode { get; init; }
}
