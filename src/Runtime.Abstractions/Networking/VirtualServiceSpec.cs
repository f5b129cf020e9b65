namespace Runtime.Abstractions.Networking;

/// <summary>The spec of a VirtualService: how requests for a set of hosts are routed.</summary>
public sealed record VirtualServiceSpec
{
    /// <summary>Destination hosts (DNS names, wildcard prefixes or IPs) the rules apply to.</summary>
    public IReadOnlyList<string>? Hosts { get; init; }

    /// <summary>Gateways (<c>namespace/name</c>, or <c>mesh</c>) the rules apply to; sidecars only when omitted.</summary>
    public IReadOnlyList<string>? Gateways { get; init; }

    /// <summary>Ordered HTTP routing rules; the first match wins.</summary>
    public IReadOnlyList<HttpRoute>? Http { get; init; }

    /// <summary>Ordered rules for unterminated TLS and HTTPS traffic, matched by SNI.</summary>
    public IReadOnlyList<TlsRoute>? Tls { get; init; }

    /// <summary>Ordered rules for opaque TCP traffic.</summary>
    public IReadOnlyList<TcpRoute>? Tcp { get; init; }

    /// <summary>Namespaces the resource is visible to (<c>.</c> for its own, <c>*</c> for all).</summary>
    public IReadOnlyList<string>? ExportTo { get; init; }
}
