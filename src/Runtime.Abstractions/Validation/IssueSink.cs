namespace Runtime.Abstractions.Validation;

/// <summary>Collects every finding of one pass; validation never stops at the first error.</summary>
internal sealed class IssueSink
{
    private readonly List<ValidationIssue> _issues = [];

    public IReadOnlyList<ValidationIssue> Issues => _issues;

    public void Error(string path, string message, string? fix = null) =>
        _issues.Add(new ValidationIssue { Severity = IssueSeverity.Error, Path = path, Message = message, Fix = fix });

    public void Warning(string path, string message, string? fix = null) =>
        _issues.Add(new ValidationIssue { Severity = IssueSeverity.Warning, Path = path, Message = message, Fix = fix });

    public void AddRange(IEnumerable<ValidationIssue> issues) => _issues.AddRange(issues);
}
