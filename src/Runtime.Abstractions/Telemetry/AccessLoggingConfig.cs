namespace Runtime.Abstractions.Telemetry;

/// <summary>Access log settings.</summary>
public sealed record AccessLoggingConfig
{
    /// <summary>Which side logs.</summary>
    public WorkloadModeSelector? Match { get; init; }

    /// <summary>Log providers.</summary>
    public IReadOnlyList<ProviderRef>? Providers { get; init; }

    /// <summary>Turns logging off.</summary>
    public bool? Disabled { get; init; }

    /// <summary>Which requests are logged.</summary>
    public AccessLogFilter? Filter { get; init; }
}
