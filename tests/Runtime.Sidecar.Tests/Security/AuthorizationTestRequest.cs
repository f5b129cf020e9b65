using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Security.Authorization;

namespace Runtime.Sidecar.Tests.Security;

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

    /// <summary>The mTLS peer as <c>namespace/serviceaccount</c> in trust domain cluster.local; null for plaintext.</summary>
    public string? Peer { get; init; }

    /// <summary>The JWT payload (JSON); null for no token. The principal is <c>iss/sub</c>.</summary>
    public string? Jwt { get; init; }

    public string? Sni { get; init; }

    public (string Name, string Value)[] Headers { get; init; } = [];

    public AuthorizationRequest ToRequest()
    {
        var headers = new HeaderDictionary();
        foreach (var (name, value) in Headers)
        {
            headers.Append(name, value);
        }

        return new AuthorizationRequest
        {
            Method = Method,
            Path = Path,
            Host = Host,
            HostPort = HostPort,
            Headers = headers,
            DestinationPort = Port,
            DestinationIp = IPAddress.Parse(DestinationIp),
            SourceIp = IPAddress.Parse(SourceIp),
            RemoteIp = IPAddress.Parse(SourceIp),
            Peer = Peer is null ? null : PeerOf(Peer),
            Jwt = Jwt is null ? null : JwtOf(Jwt),
            Sni = Sni,
        };
    }

    public static PeerIdentity PeerOf(string nsAndSa)
    {
        var parts = nsAndSa.Split('/');
        return new PeerIdentity($"spiffe://cluster.local/ns/{parts[0]}/sa/{parts[1]}", "cluster.local", parts[0], parts[1]);
    }

    public static RequestAuthentication JwtOf(string payloadJson)
    {
        var payload = JsonDocument.Parse(payloadJson).RootElement.Clone();
        var audiences = payload.TryGetProperty("aud", out var aud)
            ? aud.ValueKind == JsonValueKind.Array ? [.. aud.EnumerateArray().Select(a => a.GetString()!)] : new[] { aud.GetString()! }
            : [];
        var presenter = payload.TryGetProperty("azp", out var azp) ? azp.GetString() : null;
        return new RequestAuthentication($"{payload.GetProperty("iss").GetString()}/{payload.GetProperty("sub").GetString()}", audiences, presenter, payload);
    }
}
