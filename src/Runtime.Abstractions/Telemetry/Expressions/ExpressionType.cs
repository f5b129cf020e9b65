namespace Runtime.Abstractions.Telemetry.Expressions;

/// <summary>The type of a filter expression's value, checked when the expression is parsed.</summary>
internal enum ExpressionType
{
    /// <summary>A whole number.</summary>
    Int,

    /// <summary>A string.</summary>
    String,

    /// <summary>True or false.</summary>
    Bool,
}
