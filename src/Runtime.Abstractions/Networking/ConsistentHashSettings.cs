using Runtime.Abstractions.Binding;

namespace Runtime.Abstractions.Networking;

/// <summary>Hash-based sticky load balancing; set one hash key.</summary>
public sealed record ConsistentHashSettings
{
    /// <summary>Hash on this request header.</summary>
    public string? HttpHeaderName { get; init; }

    /// <summary>Hash on this cookie, generating it when missing.</summary>
    public ConsistentHashCookie? HttpCookie { get; init; }

    /// <summary>Hash on the client IP.</summary>
    public bool? UseSourceIp { get; init; }

    /// <summary>Hash on this query parameter.</summary>
    public string? HttpQueryParameterName { get; init; }

    /// <summary>Use the ring hash algorithm.</summary>
    public RingHashSettings? RingHash { get; init; }

    /// <summary>Use the Maglev algorithm.</summary>
    public MaglevSettings? Maglev { get; init; }

    /// <summary>Deprecated ring size; use <c>ringHash.minimumRingSize</c>.</summary>
    [MeshDeprecated("ringHash.minimumRingSize")]
    public long? MinimumRingSize { get; init; }
}
