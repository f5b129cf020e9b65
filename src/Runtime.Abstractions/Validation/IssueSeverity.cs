namespace Runtime.Abstractions.Validation;

/// <summary>How serious a validation finding is.</summary>
public enum IssueSeverity
{
    /// <summary>The resource is rejected.</summary>
    Error,

    /// <summary>The resource is accepted; the user should still look (deprecated field, skipped document).</summary>
    Warning,
}
