namespace Runtime.Abstractions.Security;

/// <summary>Attributes of the request.</summary>
public sealed record Operation
{
    /// <summary>Host header values.</summary>
    public IReadOnlyList<string>? Hosts { get; init; }

    /// <summary>Excluded host values.</summary>
    public IReadOnlyList<string>? NotHosts { get; init; }

    /// <summary>Destination ports.</summary>
    public IReadOnlyList<string>? Ports { get; init; }

    /// <summary>Excluded destination ports.</summary>
    public IReadOnlyList<string>? NotPorts { get; init; }

    /// <summary>HTTP methods.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>Excluded methods.</summary>
    public IReadOnlyList<string>? NotMethods { get; init; }

    /// <summary>Paths; <c>*</c> allowed only as prefix, suffix or alone.</summary>
    public IReadOnlyList<string>? Paths { get; init; }

    /// <summary>Excluded paths.</summary>
    public IReadOnlyList<string>? NotPaths { get; init; }
}
