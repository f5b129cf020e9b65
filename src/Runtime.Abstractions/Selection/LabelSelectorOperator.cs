namespace Runtime.Abstractions.Selection;

/// <summary>How a <see cref="LabelRequirement"/> tests a label.</summary>
public enum LabelSelectorOperator
{
    /// <summary><c>key=value</c> or <c>key==value</c>: the label is present with that value.</summary>
    Equals,

    /// <summary><c>key!=value</c>: the label is absent or has another value.</summary>
    NotEquals,

    /// <summary><c>key in (a,b)</c>: the label is present with one of the values.</summary>
    In,

    /// <summary><c>key notin (a,b)</c>: the label is absent or has none of the values.</summary>
    NotIn,

    /// <summary><c>key</c>: the label is present, whatever its value.</summary>
    Exists,

    /// <summary><c>!key</c>: the label is absent.</summary>
    DoesNotExist,
}
