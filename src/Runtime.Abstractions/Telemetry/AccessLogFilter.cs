namespace Runtime.Abstractions.Telemetry;

/// <summary>A CEL filter on log entries.</summary>
public sealed record AccessLogFilter
{
    /// <summary>CEL expression; entries for which it is true are logged.</summary>
    public string? Expression { get; init; }
}
