using System.Net;

namespace Runtime.Abstractions.Security.Authorization;

/// <summary>
/// The attributes of one inbound request that AuthorizationPolicy rules read. Built once per request (by the
/// sidecar from the HTTP request, by <c>meshctl x authz check</c> from its flags); the evaluator only reads it.
/// </summary>
public sealed class AuthorizationRequest
{
    private static readonly Func<string, IReadOnlyList<string?>> NoHeaders = static _ => [];

    /// <summary>The HTTP method as sent (methods match case-sensitively, as in Envoy).</summary>
    public required string Method { get; init; }

    /// <summary>The canonical path without the query string.</summary>
    public required string Path { get; init; }

    /// <summary>The host for matching: lowercased, without port and trailing dot; empty when the request had none.</summary>
    public string Host { get; init; } = "";

    /// <summary>The port the Host header named, or null when it named none.</summary>
    public int? HostPort { get; init; }

    /// <summary>Every value of a request header (the name is case-insensitive); empty when absent.</summary>
    public Func<string, IReadOnlyList<string?>> Headers { get; init; } = NoHeaders;

    /// <summary>The workload port the request is for (<c>destination.port</c>, <c>ports</c>).</summary>
    public int DestinationPort { get; init; }

    /// <summary>The address the request arrived on (<c>destination.ip</c>).</summary>
    public IPAddress? DestinationIp { get; init; }

    /// <summary>The connection peer's address (<c>ipBlocks</c>, <c>source.ip</c>).</summary>
    public IPAddress? SourceIp { get; init; }

    /// <summary>The original client's address (<c>remoteIpBlocks</c>, <c>remote.ip</c>).</summary>
    public IPAddress? RemoteIp { get; init; }

    /// <summary>The peer's verified mTLS identity; null for plaintext.</summary>
    public AuthorizationPeer? Peer { get; init; }

    /// <summary>The validated JWT; null when the request carried none.</summary>
    public AuthorizationToken? Jwt { get; init; }

    /// <summary>
    /// True for a TCP connection (a tunnel), not an HTTP request: HTTP-only rule fields then follow Istio's TCP
    /// semantics (an ALLOW rule with one never matches; in other rules they are ignored).
    /// </summary>
    public bool Tcp { get; init; }

    /// <summary>The TLS server name the peer sent in its ClientHello (<c>connection.sni</c>); null for plaintext or when it sent none.</summary>
    public string? Sni { get; init; }
}
