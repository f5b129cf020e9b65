using Runtime.Abstractions.Discovery;

namespace Runtime.Abstractions.Analysis;

/// <summary>What <see cref="ConfigAnalyzer"/> looks at: the configuration and what is known of the service registry.</summary>
public sealed record AnalysisInput
{
    /// <summary>The resources, in input order; a key given twice is replaced by its last definition, as an apply would.</summary>
    public required IReadOnlyList<LocatedResource> Resources { get; init; }

    /// <summary>
    /// Services known besides ServiceEntries: the registered services with their endpoints (online), or the
    /// Kubernetes Services and workloads found in the files (offline).
    /// </summary>
    public IReadOnlyList<MeshService> Services { get; init; } = [];

    /// <summary>
    /// Whether <see cref="Services"/> is the whole registry (online). When false (files only), a cluster-local
    /// host that nothing in the input declares cannot be judged and is listed in
    /// <see cref="AnalysisReport.UncheckedHosts"/> instead of being reported.
    /// </summary>
    public bool RegistryComplete { get; init; }
}
