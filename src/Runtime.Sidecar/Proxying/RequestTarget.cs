using Microsoft.AspNetCore.Http;
using Runtime.Abstractions.Http;

namespace Runtime.Sidecar.Proxying;

/// <summary>
/// Where an app's outbound request is headed, read once at the edge. Apps address a service three ways: an
/// HTTP-proxy absolute URI (<c>GET http://reviews/x</c>, Kestrel then sets Host from it), a <c>Host</c> header,
/// or Dapr's <c>/v1.0/invoke/&lt;service&gt;/method/&lt;path&gt;</c>. The path is the canonical path
/// (<see cref="CanonicalPath"/>), computed once from the raw target, so routing and forwarding see the same thing.
/// </summary>
/// <param name="Authority">The addressed service, with a port when one was given.</param>
/// <param name="Path">The canonical path (percent-encoded where it must be), matched and forwarded as is.</param>
/// <param name="Query">The raw query, without <c>?</c>.</param>
internal readonly record struct RequestTarget(string Authority, string Path, string Query)
{
    private const string InvokePrefix = "/v1.0/invoke";

    /// <summary>
    /// Validates the request (<see cref="CanonicalRequest.Check"/>: method, header names, canonical path) and
    /// reads the target, or returns the reason for a 400.
    /// </summary>
    public static RequestTarget? Read(HttpContext context, CanonicalPathMode mode, out string? problem)
    {
        var canonical = CanonicalRequest.Check(context, mode);
        problem = canonical.Problem;
        if (problem is not null)
        {
            return null;
        }

        var query = canonical.Query;
        var path = canonical.Path;
        if (path.StartsWith(InvokePrefix, StringComparison.OrdinalIgnoreCase) && (path.Length == InvokePrefix.Length || path[InvokePrefix.Length] == '/'))
        {
            // value = "/<service>/method/<path>"
            var value = path[InvokePrefix.Length..];
            if (value.Length < 2)
            {
                problem = "a Dapr-style call must look like /v1.0/invoke/<service>/method/<path>";
                return null;
            }

            var slash = value.IndexOf('/', 1);
            var service = slash < 0 ? value.TrimStart('/') : value[1..slash];
            var remainder = slash < 0 ? "" : value[slash..];
            if (service.Length == 0 || !remainder.StartsWith("/method", StringComparison.OrdinalIgnoreCase)
                || (remainder.Length > "/method".Length && remainder["/method".Length] != '/'))
            {
                problem = "a Dapr-style call must look like /v1.0/invoke/<service>/method/<path>";
                return null;
            }

            if (!IsAuthority(service))
            {
                problem = $"'{CanonicalPath.Printable(service)}' is not a service name (a host, optionally with :port)";
                return null;
            }

            var method = remainder["/method".Length..];
            return new RequestTarget(service, method.Length == 0 ? "/" : method, query);
        }

        var authority = context.Request.Host.Value;
        if (string.IsNullOrEmpty(authority))
        {
            problem = "the request names no service: send it as a proxy request (HTTP_PROXY), with a Host header, or to /v1.0/invoke/<service>/method/<path>";
            return null;
        }

        if (!IsAuthority(authority))
        {
            problem = $"'{CanonicalPath.Printable(authority)}' is not a host, optionally with :port";
            return null;
        }

        return new RequestTarget(authority, path, query);
    }

    /// <summary>
    /// A DNS name or IP literal with an optional port, nothing else: the authority ends up in an upstream URI,
    /// so characters such as '#', '?', '@' or '/' must never get that far.
    /// </summary>
    internal static bool IsAuthority(string authority)
    {
        var host = authority;
        var colon = authority.LastIndexOf(':');
        if (colon > 0 && !authority.EndsWith(']'))
        {
            if (!int.TryParse(authority.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return false;
            }

            host = authority[..colon];
        }

        return Uri.CheckHostName(host.Trim('[', ']')) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
    }

    /// <summary>
    /// The path and query to send upstream: the (possibly rewritten) canonical path, already percent-encoded where
    /// it must be, plus the original query. Nothing is decoded or re-encoded here, so the upstream sees exactly the
    /// path that authorization and routing matched.
    /// </summary>
    public static string PathAndQuery(string path, string query) => query.Length == 0 ? path : string.Concat(path, "?", query);
}
