namespace Runtime.Abstractions.Security;

/// <summary>An external authorizer configured in mesh config.</summary>
public sealed record ExtensionProvider
{
    /// <summary>Provider name.</summary>
    public string? Name { get; init; }
}
