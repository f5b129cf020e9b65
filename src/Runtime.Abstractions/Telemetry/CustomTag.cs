namespace Runtime.Abstractions.Telemetry;

/// <summary>The value of an extra span tag; set one source.</summary>
public sealed record CustomTag
{
    /// <summary>A fixed value.</summary>
    public LiteralTag? Literal { get; init; }

    /// <summary>An environment variable of the proxy.</summary>
    public EnvironmentTag? Environment { get; init; }

    /// <summary>A request header.</summary>
    public RequestHeaderTag? Header { get; init; }
}
