namespace Runtime.Abstractions.Validation;

/// <summary>One validation finding, naming the resource, the field and, where obvious, the fix.</summary>
public sealed record ValidationIssue
{
    /// <summary>Error or warning.</summary>
    public IssueSeverity Severity { get; init; } = IssueSeverity.Error;

    /// <summary>The kind of the resource, when the document could be read that far.</summary>
    public string? Kind { get; init; }

    /// <summary>The namespace of the resource, when known.</summary>
    public string? Namespace { get; init; }

    /// <summary>The name of the resource, when known.</summary>
    public string? Name { get; init; }

    /// <summary>Field path such as <c>spec.http[1].route[0].weight</c>; empty for document-level problems.</summary>
    public string Path { get; init; } = "";

    /// <summary>What is wrong.</summary>
    public required string Message { get; init; }

    /// <summary>A suggested fix, when one is obvious.</summary>
    public string? Fix { get; init; }

    /// <summary>The manifest the issue was found in (file name or <c>-</c>), when known.</summary>
    public string? Source { get; init; }

    /// <summary>1-based line in the manifest, when known.</summary>
    public int? Line { get; init; }

    /// <summary>0-based index of the document within its manifest, when known.</summary>
    public int? Document { get; init; }

    /// <summary>
    /// One line for humans: <c>VirtualService/default/reviews spec.http[1].route[0].weight: weight -5 is negative (fix: ...)</c>.
    /// </summary>
    public override string ToString()
    {
        var where = Kind is null && Name is null
            ? (Document is int d ? $"document {d}" : "manifest")
            : $"{Kind ?? "?"}/{Namespace ?? "?"}/{Name ?? "?"}";
        var at = Source is null ? "" : Line is int l ? $"{Source}:{l}: " : $"{Source}: ";
        var path = Path.Length == 0 ? "" : $" {Path}";
        var fix = Fix is null ? "" : $" (fix: {Fix})";
        var level = Severity == IssueSeverity.Warning ? "warning: " : "";
        return $"{at}{level}{where}{path}: {Message}{fix}";
    }
}
