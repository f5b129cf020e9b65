using System.Globalization;
using System.Net;
using Runtime.Abstractions.Http;
using Runtime.Abstractions.Security.Authorization;

namespace Runtime.Cli.Commands;

/// <summary>
/// The request <c>meshctl x authz check</c> decides, built from its flags exactly as the sidecar builds it from a
/// real request: the method and header names validated, the path made canonical in the sidecar's
/// <c>--path-normalization</c> mode and the host lowered to its matching form. A request the sidecar would answer
/// 400 before authorization is reported as such (<see cref="Refusal"/>).
/// </summary>
internal sealed class AuthzCheckInput
{
    /// <summary>The flags as given.</summary>
    public sealed record Flags(
        string? Method, string? Path, string? Host, string? Principal, string? Namespace, string? RequestPrincipal,
        IReadOnlyList<string> Headers, string? SourceIp, int? Port, string? Sni, CanonicalPathMode Mode)
    {
        /// <summary>Whether any flag describes a request (otherwise only the policies are listed).</summary>
        public bool DescribeRequest =>
            Method is not null || Path is not null || Host is not null || Principal is not null || Namespace is not null
            || RequestPrincipal is not null || Headers.Count > 0 || SourceIp is not null || Port is not null || Sni is not null;
    }

    private AuthzCheckInput(AuthorizationRequest request, string rawPath, string? refusal)
    {
        Request = request;
        RawPath = rawPath;
        Refusal = refusal;
    }

    /// <summary>The request as policies see it.</summary>
    public AuthorizationRequest Request { get; }

    /// <summary>The path as given, before it was made canonical.</summary>
    public string RawPath { get; }

    /// <summary>Why the sidecar answers 400 before authorization; null when it does not.</summary>
    public string? Refusal { get; }

    /// <summary>
    /// Builds the request for a workload whose service is <paramref name="workload"/> and app port
    /// <paramref name="appPort"/>; throws a <see cref="CliException"/> listing every malformed flag.
    /// </summary>
    public static AuthzCheckInput From(Flags flags, AuthorizationWorkload workload, int appPort, IReadOnlyList<string> trustDomains)
    {
        var errors = new List<string>();
        var method = flags.Method ?? "GET";
        var rawPath = flags.Path ?? "/";
        var refusal = RequestValidation.CheckMethod(method);

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in flags.Headers)
        {
            var equals = header.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                errors.Add($"--header '{header}' is not name=value");
                continue;
            }

            headers.Add(new(header[..equals], header[(equals + 1)..]));
        }

        refusal ??= RequestValidation.CheckHeaderNames(headers);
        var target = CanonicalPath.Normalize(rawPath, flags.Mode);
        refusal ??= target.Problem;

        var (host, hostPort) = Authority(flags.Host ?? $"{workload.Service}.{workload.Namespace}.svc.cluster.local", errors);
        var peer = Peer(flags, trustDomains, errors);
        if (flags.Sni is not null && peer is null)
        {
            errors.Add("--sni needs --principal or --namespace: only an mTLS connection has a server name (plaintext never matches connection.sni)");
        }

        IPAddress? source = null;
        if (flags.SourceIp is not null && !IPAddress.TryParse(flags.SourceIp, out source))
        {
            errors.Add($"--source-ip '{flags.SourceIp}' is not an IPv4 or IPv6 address");
        }

        if (flags.Port is { } port && port is < 1 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"--port {port} is not a port (1-65535)"));
        }

        if (flags.RequestPrincipal is { Length: 0 })
        {
            errors.Add("--request-principal is empty; give the token's <iss>/<sub>");
        }

        if (errors.Count > 0)
        {
            throw new CliException(errors[0], [.. errors.Select(e => "error: " + e)]);
        }

        var lookup = headers.ToLookup(h => h.Key, h => (string?)h.Value, StringComparer.OrdinalIgnoreCase);
        var request = new AuthorizationRequest
        {
            Method = method,
            Path = target.IsValid ? target.Path : rawPath,
            Host = host,
            HostPort = hostPort,
            Headers = name => [.. lookup[name]],
            DestinationPort = flags.Port ?? appPort,
            SourceIp = source,
            RemoteIp = source,
            Peer = peer,
            Jwt = flags.RequestPrincipal is { } principal ? new AuthorizationToken(principal, [], null, default) : null,
            Sni = peer is null ? null : flags.Sni,
        };
        return new AuthzCheckInput(request, rawPath, refusal);
    }

    private static (string Host, int? Port) Authority(string authority, List<string> errors)
    {
        // The port part as Kestrel reads the Host header: after the last ':' outside an IPv6 literal.
        var colon = authority.StartsWith('[') ? authority.IndexOf("]:", StringComparison.Ordinal) + 1 : authority.IndexOf(':', StringComparison.Ordinal);
        int? port = null;
        if (colon > 0)
        {
            if (!int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 or > 65535)
            {
                errors.Add($"--host '{authority}' has an invalid port");
            }
            else
            {
                port = parsed;
            }
        }

        return (CanonicalHost.ForMatching(authority), port);
    }

    private static AuthorizationPeer? Peer(Flags flags, IReadOnlyList<string> trustDomains, List<string> errors)
    {
        if (flags.Principal is { } text)
        {
            var peer = AuthorizationPeer.TryParse(text, out var problem);
            if (peer is null)
            {
                errors.Add("--principal " + problem);
            }
            else if (flags.Namespace is { } ns && ns != peer.Namespace)
            {
                errors.Add($"--namespace '{ns}' contradicts --principal '{text}' (namespace '{peer.Namespace}'); give one of them");
            }

            return peer;
        }

        // A namespace alone: a caller of that namespace, running as its "default" service account.
        return flags.Namespace is { Length: > 0 } only ? new AuthorizationPeer(trustDomains.Count > 0 ? trustDomains[0] : "cluster.local", only, "default") : null;
    }
}
