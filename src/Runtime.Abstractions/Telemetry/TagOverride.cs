namespace Runtime.Abstractions.Telemetry;

/// <summary>A change to one metric tag.</summary>
public sealed record TagOverride
{
    /// <summary>Upsert or remove.</summary>
    public TagOperation? Operation { get; init; }

    /// <summary>CEL expression for the value.</summary>
    public string? Value { get; init; }
}
