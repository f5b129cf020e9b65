using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;

namespace Runtime.Sidecar.Routing;

/// <summary>Collects every problem found while building a route table, each naming the resource and field.</summary>
internal sealed class RouteProblems
{
    private readonly List<ValidationIssue> _issues = [];

    /// <summary>Everything reported so far.</summary>
    public IReadOnlyList<ValidationIssue> Issues => _issues;

    /// <summary>Reports an error: the offending part is left out, and the build should be NACKed.</summary>
    public void Error(MeshResource? resource, string path, string message, string? fix = null) => Add(IssueSeverity.Error, resource, path, message, fix);

    /// <summary>Reports a warning: the table is usable, but something is ignored or surprising.</summary>
    public void Warning(MeshResource? resource, string path, string message, string? fix = null) => Add(IssueSeverity.Warning, resource, path, message, fix);

    /// <summary>Adds issues found elsewhere (binding).</summary>
    public void AddRange(IEnumerable<ValidationIssue> issues) => _issues.AddRange(issues);

    private void Add(IssueSeverity severity, MeshResource? resource, string path, string message, string? fix) => _issues.Add(new ValidationIssue
    {
        Severity = severity,
        Kind = resource?.Kind,
        Namespace = resource?.Metadata.Namespace,
        Name = resource?.Metadata.Name,
        Path = path,
        Message = message,
        Fix = fix,
    });
}
