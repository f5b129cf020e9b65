namespace Runtime.Abstractions.Networking;

/// <summary>A routing rule for opaque TCP traffic.</summary>
public sealed record TcpRoute
{
    /// <summary>Conditions; any one matching selects the rule.</summary>
    public IReadOnlyList<L4MatchAttributes>? Match { get; init; }

    /// <summary>Weighted destinations.</summary>
    public IReadOnlyList<RouteDestination>? Route { get; init; }
}
