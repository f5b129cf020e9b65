using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Proxying;

/// <summary>
/// The request as every step of the sidecar sees it: validated method and canonical path, host for matching, raw
/// query. Computed once per request by the canonical-path step of a pipeline (<see cref="TryCreate"/>) and kept as
/// an <see cref="HttpContext"/> feature, so authorization, routing and forwarding read the same values.
/// </summary>
internal sealed class CanonicalRequest
{
    private CanonicalRequest(string method, string host, CanonicalPathResult target)
    {
        Method = method;
        Host = host;
        Path = target.Path;
        Query = target.Query;
    }

    /// <summary>The method (an upper-case token).</summary>
    public string Method { get; }

    /// <summary>The host for matching: lower-case, without port or trailing dot; empty when the request named none.</summary>
    public string Host { get; }

    /// <summary>The canonical path (see <see cref="CanonicalPath"/>): what policies and routes match and what is forwarded.</summary>
    public string Path { get; }

    /// <summary>The query as sent, without <c>?</c>; forwarded, never matched as part of the path.</summary>
    public string Query { get; }

    /// <summary>The path and query to forward: the canonical path plus the original query.</summary>
    public string PathAndQuery => Query.Length == 0 ? Path : string.Concat(Path, "?", Query);

    /// <summary>
    /// The canonical request of <paramref name="context"/>. The pipeline's canonical-path step has set it (and
    /// answered 400 to invalid requests); when it has not, it is computed now in the default strict mode.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is invalid (the pipeline would have answered 400).</exception>
    public static CanonicalRequest Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Features.Get<CanonicalRequest>() is { } known)
        {
            return known;
        }

        return TryCreate(context, CanonicalPathMode.Strict, out var problem)
            ?? throw new InvalidOperationException("the request is not valid and should have been answered 400: " + problem);
    }

    /// <summary>
    /// Validates the request (method, header names, target) and, when valid, computes its canonical form once and
    /// keeps it as a feature. Returns null with the reason for a 400 otherwise.
    /// </summary>
    public static CanonicalRequest? TryCreate(HttpContext context, CanonicalPathMode mode, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        problem = RequestValidation.CheckMethod(request.Method) ?? RequestValidation.CheckHeaderNames(request.Headers);
        if (problem is not null)
        {
            return null;
        }

        var target = CanonicalPath.Normalize(RawTarget(context), mode);
        if (!target.IsValid)
        {
            problem = target.Problem;
            return null;
        }

        var canonical = new CanonicalRequest(request.Method, CanonicalHost.ForMatching(request.Host.Value ?? ""), target);
        context.Features.Set(canonical);
        return canonical;
    }

    /// <summary>The request target as the client sent it (origin-form, absolute-form, or HTTP/2 <c>:path</c>).</summary>
    internal static string RawTarget(HttpContext context)
    {
        if (context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw)
        {
            return raw;
        }

        // No server-provided raw target (an in-memory context): rebuild it from the parsed parts.
        var request = context.Request;
        return string.Concat(request.PathBase.ToUriComponent(), request.Path.ToUriComponent(), request.QueryString.ToUriComponent());
    }
}
