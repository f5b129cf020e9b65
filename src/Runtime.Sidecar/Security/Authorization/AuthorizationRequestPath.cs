using Microsoft.AspNetCore.Http;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Security.Authorization;

/// <summary>
/// The one place authorization takes the request path and host from: the canonical request the inbound pipeline
/// computed once (<see cref="CanonicalRequest"/>), so rules match exactly what is routed and forwarded.
/// </summary>
internal static class AuthorizationRequestPath
{
    /// <summary>The canonical path rules match against (no query).</summary>
    public static string For(HttpContext context) => CanonicalRequest.Get(context).Path;

    /// <summary>The canonical host: lowercased, without port and trailing dot.</summary>
    public static string HostOf(HttpContext context) => CanonicalRequest.Get(context).Host;
}
