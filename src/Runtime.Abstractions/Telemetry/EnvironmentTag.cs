namespace Runtime.Abstractions.Telemetry;

/// <summary>A tag value from an environment variable.</summary>
public sealed record EnvironmentTag
{
    /// <summary>Variable name.</summary>
    public string? Name { get; init; }

    /// <summary>Used when the variable is unset.</summary>
    public string? DefaultValue { get; init; }
}
