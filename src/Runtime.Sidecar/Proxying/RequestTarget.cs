using Microsoft.AspNetCore.Http;

namespace Runtime.Sidecar.Proxying;

/// <summary>
/// Where an app's outbound request is headed, read once at the edge. Apps address a service three ways: an
/// HTTP-proxy absolute URI (<c>GET http://reviews/x</c>, Kestrel then sets Host from it), a <c>Host</c> header,
/// or Dapr's <c>/v1.0/invoke/&lt;service&gt;/method/&lt;path&gt;</c>. The path is Kestrel's normalized path
/// (dot segments removed, percent-decoding done once), so routing and forwarding see the same thing.
/// </summary>
/// <param name="Authority">The addressed service, with a port when one was given.</param>
/// <param name="Path">The canonical path (decoded, as routing matches it).</param>
/// <param name="Query">The raw query, without <c>?</c>.</param>
internal readonly record struct RequestTarget(string Authority, PathString Path, string Query)
{
    private const string InvokePrefix = "/v1.0/invoke/";

    /// <summary>Reads the target, or returns the reason the request does not name one.</summary>
    public static RequestTarget? Read(HttpRequest request, out string? problem)
    {
        problem = null;
        var query = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var path = request.Path;
        if (path.StartsWithSegments(InvokePrefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase, out var rest))
        {
            // rest = "/<service>/method/<path>"
            var value = rest.Value ?? "";
            if (value.Length < 2)
            {
                problem = "a Dapr-style call must look like /v1.0/invoke/<service>/method/<path>";
                return null;
            }

            var slash = value.IndexOf('/', 1);
            var service = slash < 0 ? value.TrimStart('/') : value[1..slash];
            var remainder = slash < 0 ? "" : value[slash..];
            if (service.Length == 0 || !remainder.StartsWith("/method", StringComparison.OrdinalIgnoreCase))
            {
                problem = "a Dapr-style call must look like /v1.0/invoke/<service>/method/<path>";
                return null;
            }

            if (!IsAuthority(service))
            {
                problem = $"'{service}' is not a service name (a host, optionally with :port)";
                return null;
            }

            var method = remainder["/method".Length..];
            return new RequestTarget(service, new PathString(method.Length == 0 ? "/" : method), query);
        }

        var authority = request.Host.Value;
        if (string.IsNullOrEmpty(authority))
        {
            problem = "the request names no service: send it as a proxy request (HTTP_PROXY), with a Host header, or to /v1.0/invoke/<service>/method/<path>";
            return null;
        }

        if (!IsAuthority(authority))
        {
            problem = $"'{authority}' is not a host, optionally with :port";
            return null;
        }

        return new RequestTarget(authority, path.HasValue ? path : new PathString("/"), query);
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
    /// The path and query to send upstream, re-encoded from the canonical (decoded) path. A '%' in it is literal —
    /// it came from "%25" — and is escaped again, so the upstream decodes exactly the path routing matched.
    /// </summary>
    public static string PathAndQuery(string path, string query)
    {
        var encoded = new PathString(path.Replace("%", "%25", StringComparison.Ordinal)).ToUriComponent();
        return query.Length == 0 ? encoded : encoded + "?" + query;
    }
}
