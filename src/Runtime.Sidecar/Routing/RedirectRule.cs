using System.Globalization;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// A compiled <c>HTTPRedirect</c>, translated as Istio hands it to Envoy: <c>uri</c> replaces the whole path
/// (Istio: "the entire path will be replaced, irrespective of the request URI being matched as an exact path or
/// prefix"); the query is kept unless the new uri carries its own (Envoy's <c>path_redirect</c>: "query string in
/// path_redirect will override the request's query string"); <c>authority</c> replaces the host; <c>port</c> or
/// <c>derivePort: FROM_REQUEST_PORT</c> set the port, while <c>FROM_PROTOCOL_DEFAULT</c> (Envoy's default) keeps
/// the addressed port unless the host or scheme changes; a port that is the scheme's default is never written.
/// <c>redirectCode</c> defaults to 301.
/// </summary>
internal sealed class RedirectRule(HttpRedirect redirect)
{
    /// <summary>The status code, 301 unless configured.</summary>
    public int Status { get; } = redirect.RedirectCode ?? 301;

    /// <summary>The redirect for one request.</summary>
    public Redirect Apply(in RequestView request)
    {
        var scheme = string.IsNullOrEmpty(redirect.Scheme) ? request.Scheme : redirect.Scheme;
        var schemeChanged = !string.Equals(scheme, request.Scheme, StringComparison.OrdinalIgnoreCase);
        var host = string.IsNullOrEmpty(redirect.Authority) ? request.Host : redirect.Authority;
        var explicitPort = request.Authority.Length > request.Host.Length ? request.Port : null;

        int? port = redirect.Port is int p ? p
            : redirect.DerivePort == RedirectPortSelection.FromRequestPort ? request.Port
            : string.IsNullOrEmpty(redirect.Authority) && !schemeChanged ? explicitPort
            : null;
        if (port == RequestView.DefaultPort(scheme) || (host.Contains(':', StringComparison.Ordinal) && !host.EndsWith(']')))
        {
            port = null;
        }

        var path = request.Path;
        var query = request.Query;
        if (!string.IsNullOrEmpty(redirect.Uri))
        {
            var q = redirect.Uri.IndexOf('?', StringComparison.Ordinal);
            path = q < 0 ? redirect.Uri : redirect.Uri[..q];
            query = q < 0 ? query : redirect.Uri[(q + 1)..];
        }

        var portText = port is int value ? ":" + value.ToString(CultureInfo.InvariantCulture) : "";
        var queryText = query.Length > 0 ? "?" + query : "";
        return new Redirect(Status, $"{scheme}://{host}{portText}{path}{queryText}");
    }
}
