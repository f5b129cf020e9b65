namespace Runtime.Abstractions.Telemetry;

/// <summary>A telemetry provider configured in mesh config.</summary>
public sealed record ProviderRef
{
    /// <summary>Provider name.</summary>
    public string? Name { get; init; }
}
