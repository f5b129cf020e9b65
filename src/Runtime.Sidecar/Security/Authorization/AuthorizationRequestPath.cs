using Microsoft.AspNetCore.Http;

namespace Runtime.Sidecar.Security.Authorization;

/// <summary>
/// The one place authorization takes the request path from. Today the path as Kestrel decoded it, without the
/// query; the canonical-path step of the inbound pipeline replaces the body of <see cref="For"/> with its result.
/// </summary>
internal static class AuthorizationRequestPath
{
    /// <summary>The path rules match against.</summary>
    public static string For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.PathBase.Add(context.Request.Path).Value;
        return string.IsNullOrEmpty(path) ? "/" : path;
    }
}
