namespace Runtime.Abstractions.Security;

/// <summary>Attributes of the request's origin.</summary>
public sealed record Source
{
    /// <summary>Peer identities (mTLS).</summary>
    public IReadOnlyList<string>? Principals { get; init; }

    /// <summary>Excluded peer identities.</summary>
    public IReadOnlyList<string>? NotPrincipals { get; init; }

    /// <summary>JWT identities (issuer/subject).</summary>
    public IReadOnlyList<string>? RequestPrincipals { get; init; }

    /// <summary>Excluded JWT identities.</summary>
    public IReadOnlyList<string>? NotRequestPrincipals { get; init; }

    /// <summary>Peer namespaces.</summary>
    public IReadOnlyList<string>? Namespaces { get; init; }

    /// <summary>Excluded peer namespaces.</summary>
    public IReadOnlyList<string>? NotNamespaces { get; init; }

    /// <summary>Peer IPs or CIDRs.</summary>
    public IReadOnlyList<string>? IpBlocks { get; init; }

    /// <summary>Excluded peer IPs or CIDRs.</summary>
    public IReadOnlyList<string>? NotIpBlocks { get; init; }

    /// <summary>Original client IPs or CIDRs.</summary>
    public IReadOnlyList<string>? RemoteIpBlocks { get; init; }

    /// <summary>Excluded original client IPs or CIDRs.</summary>
    public IReadOnlyList<string>? NotRemoteIpBlocks { get; init; }

    /// <summary>Peer service accounts.</summary>
    public IReadOnlyList<string>? ServiceAccounts { get; init; }

    /// <summary>Excluded peer service accounts.</summary>
    public IReadOnlyList<string>? NotServiceAccounts { get; init; }
}
