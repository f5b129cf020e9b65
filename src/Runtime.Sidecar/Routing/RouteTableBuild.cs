using Runtime.Abstractions.Validation;

namespace Runtime.Sidecar.Routing;

/// <summary>The result of compiling a snapshot: the table and every problem found.</summary>
/// <param name="Table">The table, built without the parts that had errors.</param>
/// <param name="Problems">Every problem, each naming resource and field.</param>
internal sealed record RouteTableBuild(RouteTable Table, IReadOnlyList<ValidationIssue> Problems)
{
    /// <summary>True when any problem is an error: the sidecar should NACK the snapshot and keep its current table.</summary>
    public bool IsFatal => Problems.Any(p => p.Severity == IssueSeverity.Error);

    /// <summary>The NACK reason (every error, one per line), or null when the build is acceptable.</summary>
    public string? NackReason => IsFatal
        ? string.Join("\n", Problems.Where(p => p.Severity == IssueSeverity.Error).Select(p => p.ToString()))
        : null;
}
