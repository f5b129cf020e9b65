using Runtime.Abstractions.Common;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Resilience;

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

    /// <summary>The compiled retry policy: Istio's default unless the route sets <c>retries</c>.</summary>
    public RetryPolicy RetryPolicy { get; init; } = RetryPolicy.IstioDefault;

    /// <summary>The compiled fault injection, or null when the route injects nothing.</summary>
    public FaultPolicy? FaultPolicy { get; init; }

    /// <summary>The route timeout bounding all tries and back-off; null when none (Istio's default, and <c>timeout: 0s</c>).</summary>
    public TimeSpan? RouteTimeout => Timeout is { Value: var value } && value > TimeSpan.Zero ? value : null;

    /// <summary>Clusters to mirror to; the caller sends the copies.</summary>
    public IReadOnlyList<MirrorTarget> Mirrors { get; init; } = [];

    /// <summary>The CORS policy with its evaluator, or null.</summary>
    public CorsRules? Cors { get; init; }

    /// <summary>The path to send upstream: the rewrite applied to the request path, or the path unchanged.</summary>
    public string RewritePath(in RequestView request) => UriRewrite?.Apply(request.Path) ?? request.Path;
}
