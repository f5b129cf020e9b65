using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>The cookie used as a hash key.</summary>
public sealed record ConsistentHashCookie
{
    /// <summary>Cookie name.</summary>
    public string? Name { get; init; }

    /// <summary>Cookie path.</summary>
    public string? Path { get; init; }

    /// <summary>Lifetime of a generated cookie.</summary>
    public MeshDuration? Ttl { get; init; }
}
