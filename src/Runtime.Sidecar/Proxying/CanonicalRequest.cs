using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Runtime.Abstractions.Http;
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
        var target = Check(context, mode);
        problem = target.Problem;
        if (problem is not null)
        {
            return null;
        }

        var canonical = new CanonicalRequest(context.Request.Method, CanonicalHost.ForMatching(context.Request.Host.Value ?? ""), target);
        context.Features.Set(canonical);
        return canonical;
    }

    /// <summary>
    /// Validates the request (method, header names, target) and returns its canonical path and query, or the reason
    /// for a 400, without keeping anything on the context (the outbound hot path needs no feature).
    /// </summary>
    public static CanonicalPathResult Check(HttpContext context, CanonicalPathMode mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if ((RequestValidation.CheckMethod(request.Method) ?? RequestValidation.CheckHeaderNames(request.Headers)) is { } problem)
        {
            return CanonicalPathResult.Refused(problem);
        }

        return CanonicalPath.Normalize(RawTarget(context), mode);
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
