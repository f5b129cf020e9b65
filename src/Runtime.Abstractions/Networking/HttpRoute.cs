using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>One HTTP routing rule: match conditions plus the action taken.</summary>
public sealed record HttpRoute
{
    /// <summary>Rule name, used in logs and stats.</summary>
    public string? Name { get; init; }

    /// <summary>Conditions; any one matching selects the rule.</summary>
    public IReadOnlyList<HttpMatchRequest>? Match { get; init; }

    /// <summary>Weighted destinations to forward to.</summary>
    public IReadOnlyList<HttpRouteDestination>? Route { get; init; }

    /// <summary>Sends a 301/302 redirect instead of forwarding.</summary>
    public HttpRedirect? Redirect { get; init; }

    /// <summary>Answers directly instead of forwarding.</summary>
    public HttpDirectResponse? DirectResponse { get; init; }

    /// <summary>Hands matching to another VirtualService.</summary>
    public RouteDelegation? Delegate { get; init; }

    /// <summary>Rewrites the URI or authority before forwarding.</summary>
    public HttpRewrite? Rewrite { get; init; }

    /// <summary>Timeout for the whole request.</summary>
    public MeshDuration? Timeout { get; init; }

    /// <summary>Retry policy.</summary>
    public HttpRetry? Retries { get; init; }

    /// <summary>Delays or aborts injected before forwarding.</summary>
    public HttpFaultInjection? Fault { get; init; }

    /// <summary>Destination that receives a copy of the traffic.</summary>
    public Destination? Mirror { get; init; }

    /// <summary>Several mirror destinations, each with its own percentage.</summary>
    public IReadOnlyList<HttpMirrorPolicy>? Mirrors { get; init; }

    /// <summary>Share of traffic mirrored to <see cref="Mirror"/>.</summary>
    public Percent? MirrorPercentage { get; init; }

    /// <summary>Deprecated integer share of traffic mirrored; use <c>mirrorPercentage</c>.</summary>
    [MeshField("mirrorPercent", "mirror_percent")]
    [MeshDeprecated("mirrorPercentage")]
    public int? MirrorPercent { get; init; }

    /// <summary>Cross-origin resource sharing policy.</summary>
    public CorsPolicy? CorsPolicy { get; init; }

    /// <summary>Header changes for requests and responses.</summary>
    public HeaderOperations? Headers { get; init; }
}
