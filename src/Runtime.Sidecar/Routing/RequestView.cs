using Runtime.Abstractions.Http;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// The one canonical view of a request that routing and load balancing read, built once at the edge. The edge
/// computes the canonical path (<c>Proxying.CanonicalPath</c>) before it gets here; nothing in routing re-parses it.
/// </summary>
internal readonly struct RequestView
{
    private static readonly Func<string, string?> NoHeaders = static _ => null;

    /// <summary>Creates a view from parts the edge already has.</summary>
    /// <param name="method">HTTP method, e.g. <c>GET</c>.</param>
    /// <param name="scheme"><c>http</c> or <c>https</c>.</param>
    /// <param name="authority">Host and optional port as addressed, e.g. <c>reviews:9080</c>.</param>
    /// <param name="path">Normalized path without the query.</param>
    /// <param name="query">Raw query without the leading <c>?</c>; empty when absent.</param>
    /// <param name="headers">Case-insensitive header lookup returning the (comma-joined) value or null.</param>
    /// <param name="sourceIp">The caller's address, for source-ip hashing.</param>
    public RequestView(string method, string scheme, string authority, string path, string query = "", Func<string, string?>? headers = null, string sourceIp = "")
    {
        Method = method;
        Scheme = scheme;
        Authority = authority;
        Host = CanonicalHost.ForMatching(authority);
        Port = ExplicitPort(authority) ?? DefaultPort(scheme);
        Path = path;
        Query = query;
        Headers = headers ?? NoHeaders;
        SourceIp = sourceIp;
    }

    /// <summary>HTTP method.</summary>
    public string Method { get; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string Scheme { get; }

    /// <summary>Host and optional port as addressed.</summary>
    public string Authority { get; }

    /// <summary>The host for matching: lower-case, without the port or a trailing dot (<see cref="CanonicalHost"/>).</summary>
    public string Host { get; }

    /// <summary>The explicit port, or the scheme's default (80/443); null for an unknown scheme without a port.</summary>
    public int? Port { get; }

    /// <summary>The canonical path (see <c>Proxying.CanonicalPath</c>), without the query: matched and forwarded as is.</summary>
    public string Path { get; }

    /// <summary>Raw query without the leading <c>?</c>.</summary>
    public string Query { get; }

    /// <summary>Case-insensitive header lookup.</summary>
    public Func<string, string?> Headers { get; }

    /// <summary>The caller's IP address.</summary>
    public string SourceIp { get; }

    /// <summary>Builds a view from a path that may still carry its query (<c>/a?b=c</c>).</summary>
    public static RequestView FromPathAndQuery(string method, string scheme, string authority, string pathAndQuery, Func<string, string?>? headers = null, string sourceIp = "")
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return q < 0
            ? new RequestView(method, scheme, authority, pathAndQuery, "", headers, sourceIp)
            : new RequestView(method, scheme, authority, pathAndQuery[..q], pathAndQuery[(q + 1)..], headers, sourceIp);
    }

    /// <summary>The default port of a scheme: 80 for http, 443 for https.</summary>
    public static int? DefaultPort(string scheme) =>
        string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443
        : string.Equals(scheme, "http", StringComparison.OrdinalIgnoreCase) ? 80
        : null;

    private static int? ExplicitPort(string authority)
    {
        // IPv6 literals keep their brackets: "[::1]:8080".
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || authority.IndexOf(']', colon) >= 0 || (authority.StartsWith('[') && authority.LastIndexOf(']') > colon))
        {
            return null;
        }

        return int.TryParse(authority.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : null;
    }
}
