using System.Net;
using System.Text.Json;
using Runtime.Abstractions.Security.Authorization;

namespace Runtime.Abstractions.Tests.Security.Authorization;

/// <summary>A compact description of a request for the authorization tables; plaintext and token-less unless set.</summary>
internal sealed record AuthorizationTestRequest
{
    public string Method { get; init; } = "GET";

    public string Path { get; init; } = "/";

    public string Host { get; init; } = "productpage";

    public int? HostPort { get; init; }

    public int Port { get; init; } = 9080;

    public string SourceIp { get; init; } = "10.0.0.5";

    public string DestinationIp { get; init; } = "10.0.0.1";

    /// <summary>The mTLS peer as <c>namespace/serviceaccount</c> (trust domain cluster.local) or a whole principal <c>td/ns/N/sa/S</c>; null for plaintext.</summary>
    public string? Peer { get; init; }

    /// <summary>The JWT payload (JSON); null for no token. The principal is <c>iss/sub</c>.</summary>
    public string? Jwt { get; init; }

    public string? Sni { get; init; }

    public (string Name, string Value)[] Headers { get; init; } = [];

    /// <summary>A TCP connection rather than an HTTP request.</summary>
    public bool Tcp { get; init; }

    public AuthorizationRequest ToRequest()
    {
        var headers = Headers.ToLookup(h => h.Name, h => (string?)h.Value, StringComparer.OrdinalIgnoreCase);

        return new AuthorizationRequest
        {
            Method = Method,
            Path = Path,
            Host = Host,
            HostPort = HostPort,
            Headers = name => [.. headers[name]],
            DestinationPort = Port,
            DestinationIp = IPAddress.Parse(DestinationIp),
            SourceIp = IPAddress.Parse(SourceIp),
            RemoteIp = IPAddress.Parse(SourceIp),
            Peer = Peer is null ? null : PeerOf(Peer),
            Jwt = Jwt is null ? null : JwtOf(Jwt),
            Sni = Sni,
            Tcp = Tcp,
        };
    }

    public static AuthorizationPeer PeerOf(string peer)
    {
        var parts = peer.Split('/');
        return parts.Length == 2 ? new AuthorizationPeer("cluster.local", parts[0], parts[1]) : AuthorizationPeer.TryParse(peer, out _)!;
    }

    public static AuthorizationToken JwtOf(string payloadJson)
    {
        var payload = JsonDocument.Parse(payloadJson).RootElement.Clone();
        var audiences = payload.TryGetProperty("aud", out var aud)
            ? aud.ValueKind == JsonValueKind.Array ? [.. aud.EnumerateArray().Select(a => a.GetString()!)] : new[] { aud.GetString()! }
            : [];
        var presenter = payload.TryGetProperty("azp", out var azp) ? azp.GetString() : null;
        return new AuthorizationToken($"{payload.GetProperty("iss").GetString()}/{payload.GetProperty("sub").GetString()}", audiences, presenter, payload);
    }
}
