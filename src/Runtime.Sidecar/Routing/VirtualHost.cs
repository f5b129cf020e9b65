namespace Runtime.Sidecar.Routing;

/// <summary>The routes for one host: the branches of its VirtualService, or the default route to the whole service.</summary>
internal sealed class VirtualHost
{
    private readonly RouteBranch[] _branches;
    private readonly NoRoute _noMatch;

    /// <summary>Creates a virtual host.</summary>
    /// <param name="host">The host (fully qualified, or a wildcard).</param>
    /// <param name="virtualService">The VirtualService (<c>namespace/name</c>) whose rules apply, or null for the default route.</param>
    /// <param name="branches">Match branches in order.</param>
    public VirtualHost(string host, string? virtualService, RouteBranch[] branches)
    {
        Host = host;
        VirtualService = virtualService;
        _branches = branches;
        _noMatch = new NoRoute($"no http route of VirtualService {virtualService} matched the request for host '{host}'");
    }

    /// <summary>The host.</summary>
    public string Host { get; }

    /// <summary>The VirtualService whose rules apply, or null.</summary>
    public string? VirtualService { get; }

    /// <summary>The default route: everything to the whole service on the requested port.</summary>
    public static VirtualHost DefaultRoute(string host) =>
        new(host, null, [new RouteBranch(null, [new WeightedDestination(host, null, null, 100, new RouteActions(), [])], null, null)]);

    /// <summary>First matching branch decides; none matching is Envoy's 404 NR.</summary>
    public RouteDecision Route(in RequestView request)
    {
        foreach (var branch in _branches)
        {
            if (branch.Match is null || branch.Match.Matches(request))
            {
                return branch.Decide(request);
            }
        }

        return _noMatch;
    }
}
