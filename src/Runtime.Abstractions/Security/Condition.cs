namespace Runtime.Abstractions.Security;

/// <summary>A condition on a request attribute.</summary>
public sealed record Condition
{
    /// <summary>Attribute name, for example <c>request.headers[x-user]</c>.</summary>
    public string? Key { get; init; }

    /// <summary>Allowed values.</summary>
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Excluded values.</summary>
    public IReadOnlyList<string>? NotValues { get; init; }
}
