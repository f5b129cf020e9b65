namespace Runtime.Abstractions.Telemetry;

/// <summary>A fixed tag value.</summary>
public sealed record LiteralTag
{
    /// <summary>The value.</summary>
    public string? Value { get; init; }
}
