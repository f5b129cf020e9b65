namespace Runtime.Abstractions.Common;

/// <summary>A percentage in the range 0 to 100, written as <c>{ value: 12.5 }</c>.</summary>
public sealed record Percent
{
    /// <summary>The percentage, 0 to 100.</summary>
    public double? Value { get; init; }
}
