namespace Runtime.Abstractions.Telemetry.Expressions;

/// <summary>A filter expression outside the supported subset, or ill-typed; the message names the position.</summary>
public sealed class AccessLogExpressionException : FormatException
{
    /// <summary>Creates the error at <paramref name="position"/> (1-based column in the expression).</summary>
    public AccessLogExpressionException(int position, string message)
        : base($"at column {position}: {message}") => Position = position;

    /// <summary>The 1-based column where the problem starts.</summary>
    public int Position { get; }
}
