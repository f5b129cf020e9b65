namespace Runtime.Sidecar.Routing;

/// <summary>Mesh-wide settings the route table needs besides the snapshot.</summary>
internal sealed record RouteTableOptions
{
    /// <summary>The defaults: domain suffix <c>cluster.local</c>.</summary>
    public static RouteTableOptions Default { get; } = new();

    /// <summary>The cluster domain suffix used to qualify short names. Default <c>cluster.local</c>.</summary>
    public string DomainSuffix { get; init; } = "cluster.local";

    /// <summary>How long one regex match may run before it counts as no match. Default 100 ms.</summary>
    public TimeSpan RegexMatchTimeout { get; init; } = TimeSpan.FromMilliseconds(100);
}
