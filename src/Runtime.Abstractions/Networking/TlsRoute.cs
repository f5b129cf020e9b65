namespace Runtime.Abstractions.Networking;

/// <summary>A routing rule for unterminated TLS traffic.</summary>
public sealed record TlsRoute
{
    /// <summary>Conditions; any one matching selects the rule.</summary>
    public IReadOnlyList<TlsMatchAttributes>? Match { get; init; }

    /// <summary>Weighted destinations.</summary>
    public IReadOnlyList<RouteDestination>? Route { get; init; }
}
