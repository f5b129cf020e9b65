namespace Runtime.Sidecar.Routing;

/// <summary>
/// One match entry of one http rule with what the rule does. Rules are flattened into branches in order (a rule
/// with three ORed match entries gives three branches), so "first match wins" is one linear scan, and each
/// branch carries the rewrite that belongs to its own matched prefix.
/// </summary>
internal sealed class RouteBranch
{
    private readonly WeightedDestination[] _destinations;
    private readonly int[] _cumulative;

    /// <summary>Creates a branch; give exactly one of destinations, a redirect or a direct response.</summary>
    public RouteBranch(RequestMatch? match, WeightedDestination[] destinations, RedirectRule? redirect, DirectResponse? direct)
    {
        Match = match;
        _destinations = destinations;
        Redirect = redirect;
        Direct = direct;
        _cumulative = new int[destinations.Length];
        var total = 0;
        for (var i = 0; i < destinations.Length; i++)
        {
            total += destinations[i].Weight;
            _cumulative[i] = total;
        }
    }

    /// <summary>The conditions, or null for a rule without <c>match</c> (matches everything).</summary>
    public RequestMatch? Match { get; }

    /// <summary>The redirect, when the rule redirects.</summary>
    public RedirectRule? Redirect { get; }

    /// <summary>The direct response, when the rule answers directly.</summary>
    public DirectResponse? Direct { get; }

    /// <summary>The decision for a request this branch matched; weighted destinations are drawn from a shared thread-safe random source.</summary>
    public RouteDecision Decide(in RequestView request)
    {
        if (Direct is not null)
        {
            return Direct;
        }

        if (Redirect is not null)
        {
            return Redirect.Apply(request);
        }

        var index = 0;
        if (_destinations.Length > 1)
        {
            var draw = Random.Shared.Next(_cumulative[^1]);
            while (draw >= _cumulative[index])
            {
                index++;
            }
        }

        return _destinations[index].ForPort(request.Port ?? 0);
    }
}
