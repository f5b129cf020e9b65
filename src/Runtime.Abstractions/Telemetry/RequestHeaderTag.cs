namespace Runtime.Abstractions.Telemetry;

/// <summary>A tag value from a request header.</summary>
public sealed record RequestHeaderTag
{
    /// <summary>Header name.</summary>
    public string? Name { get; init; }

    /// <summary>Used when the header is missing.</summary>
    public string? DefaultValue { get; init; }
}
