using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Resources;

/// <summary>The typed view of a spec and the problems found while binding it.</summary>
/// <param name="Value">The spec record (for example a <c>VirtualServiceSpec</c>); null when the spec was not a mapping.</param>
/// <param name="Issues">Binding errors and warnings, with paths starting at <c>spec</c>.</param>
public sealed record BoundSpec(object? Value, IReadOnlyList<ValidationIssue> Issues)
{
    /// <summary>Whether any issue is an error.</summary>
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);
}
