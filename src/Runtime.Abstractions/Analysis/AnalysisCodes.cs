namespace Runtime.Abstractions.Analysis;

/// <summary>
/// The stable codes of <c>meshctl analyze</c>. <c>MSH</c> + two digits for the area + two for the check:
/// 00 input, 01 hosts, 02 subsets, 03 routes, 04 gateways, 05 resilience, 06 telemetry. A code keeps its meaning and level
/// forever; docs/analyze.md lists them.
/// </summary>
public static class AnalysisCodes
{
    /// <summary>One resource is defined more than once in the input with different content; the last wins.</summary>
    public const string DuplicateResource = "MSH0001";

    /// <summary>A route, mirror or TCP/TLS destination names a host no registered service or ServiceEntry provides.</summary>
    public const string DestinationHostNotFound = "MSH0101";

    /// <summary>A DestinationRule's host matches no registered service or ServiceEntry.</summary>
    public const string DestinationRuleHostNotFound = "MSH0102";

    /// <summary>A destination names a subset no DestinationRule for its host defines.</summary>
    public const string SubsetNotDefined = "MSH0201";

    /// <summary>A DestinationRule subset whose labels select none of the service's endpoints.</summary>
    public const string SubsetSelectsNoEndpoints = "MSH0202";

    /// <summary>An HTTP or TCP rule that can never match because an earlier rule matches every request.</summary>
    public const string RouteShadowed = "MSH0301";

    /// <summary>Two VirtualServices route the same host for sidecars (the mesh gateway); only the oldest is used.</summary>
    public const string ConflictingMeshVirtualServices = "MSH0302";

    /// <summary>Two VirtualServices route the same host on one Gateway; their rules are merged in creation order.</summary>
    public const string ConflictingGatewayVirtualServices = "MSH0303";

    /// <summary>A VirtualService names a Gateway that does not exist.</summary>
    public const string GatewayNotFound = "MSH0401";

    /// <summary>A VirtualService host that none of its Gateway's servers accept.</summary>
    public const string HostNotInGateway = "MSH0402";

    /// <summary>attempts × perTryTimeout is longer than the route timeout, so the last attempts never run.</summary>
    public const string RetriesExceedTimeout = "MSH0501";

    /// <summary>A Telemetry names a provider that is neither built in nor one of mesh config's extensionProviders.</summary>
    public const string TelemetryProviderNotFound = "MSH0601";

    /// <summary>Every code with its level and a short title, in code order.</summary>
    public static IReadOnlyList<(string Code, FindingLevel Level, string Title)> All { get; } =
    [
        (DuplicateResource, FindingLevel.Warning, "resource defined twice in the input"),
        (DestinationHostNotFound, FindingLevel.Error, "destination host not found"),
        (DestinationRuleHostNotFound, FindingLevel.Warning, "DestinationRule for an unknown host"),
        (SubsetNotDefined, FindingLevel.Error, "subset not defined"),
        (SubsetSelectsNoEndpoints, FindingLevel.Warning, "subset selects no endpoints"),
        (RouteShadowed, FindingLevel.Warning, "rule shadowed by an earlier catch-all"),
        (ConflictingMeshVirtualServices, FindingLevel.Error, "conflicting VirtualServices for one host (mesh)"),
        (ConflictingGatewayVirtualServices, FindingLevel.Warning, "VirtualServices merged for one host on a Gateway"),
        (GatewayNotFound, FindingLevel.Error, "Gateway not found"),
        (HostNotInGateway, FindingLevel.Warning, "host not served by the Gateway"),
        (RetriesExceedTimeout, FindingLevel.Warning, "retries exceed the route timeout"),
        (TelemetryProviderNotFound, FindingLevel.Warning, "Telemetry provider not defined in mesh config"),
    ];

    /// <summary>The level a code is always reported at.</summary>
    /// <param name="code">One of the codes above.</param>
    public static FindingLevel LevelOf(string code) =>
        All.FirstOrDefault(c => c.Code == code) is { Code: not null } entry
            ? entry.Level
            : throw new ArgumentException($"unknown analysis code {code}", nameof(code));
}
