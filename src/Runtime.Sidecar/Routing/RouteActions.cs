using Runtime.Abstractions.Common;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// Everything the chosen route asks for besides the destination. Built once per route, match entry and
/// destination at table build time, so the hot path returns it without allocating.
/// </summary>
internal sealed record RouteActions
{
    /// <summary>The route's <c>name</c>, or null.</summary>
    public string? RouteName { get; init; }

    /// <summary>The VirtualService the route came from (<c>namespace/name</c>), or null for the default route.</summary>
    public string? VirtualService { get; init; }

    /// <summary>The path rewrite, or null.</summary>
    public UriRewrite? UriRewrite { get; init; }

    /// <summary>The new authority (Host header), or null to keep it.</summary>
    public string? AuthorityRewrite { get; init; }

    /// <summary>Request header operations, destination-level and route-level merged.</summary>
    public HeaderMutations RequestHeaders { get; init; } = HeaderMutations.None;

    /// <summary>Response header operations, destination-level and route-level merged.</summary>
    public HeaderMutations ResponseHeaders { get; init; } = HeaderMutations.None;

    /// <summary>Route timeout, carried as configured.</summary>
    public MeshDuration? Timeout { get; init; }

    /// <summary>Retry policy, carried as configured.</summary>
    public HttpRetry? Retries { get; init; }

    /// <summary>Fault injection, carried as configured.</summary>
    public HttpFaultInjection? Fault { get; init; }

    /// <summary>Clusters to mirror to; the caller sends the copies.</summary>
    public IReadOnlyList<MirrorTarget> Mirrors { get; init; } = [];

    /// <summary>The CORS policy with its evaluator, or null.</summary>
    public CorsRules? Cors { get; init; }

    /// <summary>The path to send upstream: the rewrite applied to the request path, or the path unchanged.</summary>
    public string RewritePath(in RequestView request) => UriRewrite?.Apply(request.Path) ?? request.Path;
}
