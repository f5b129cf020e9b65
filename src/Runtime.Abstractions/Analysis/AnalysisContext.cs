using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Telemetry;

namespace Runtime.Abstractions.Analysis;

/// <summary>The configuration one analysis runs over: each resource once (the last definition), typed, plus the host registry.</summary>
internal sealed class AnalysisContext
{
    public AnalysisContext(IReadOnlyList<LocatedResource> resources, IReadOnlyList<MeshService> services, bool registryComplete)
    {
        VirtualServices = Bind<VirtualServiceSpec>(resources, MeshKinds.VirtualService);
        DestinationRules = Bind<DestinationRuleSpec>(resources, MeshKinds.DestinationRule);
        Gateways = Bind<GatewaySpec>(resources, MeshKinds.Gateway);
        ServiceEntries = Bind<ServiceEntrySpec>(resources, MeshKinds.ServiceEntry);
        Registry = new HostRegistry(services, ServiceEntries, registryComplete);
        Telemetries = Bind<TelemetrySpec>(resources, MeshKinds.Telemetry); // issue 6: provider names
        MeshConfigs = Bind<MeshConfigSpec>(resources, MeshKinds.MeshConfig);
        IsComplete = registryComplete;
    }

    public IReadOnlyList<AnalyzedResource<TelemetrySpec>> Telemetries { get; }

    public IReadOnlyList<AnalyzedResource<MeshConfigSpec>> MeshConfigs { get; }

    /// <summary>True online: the resources are everything the control plane stores.</summary>
    public bool IsComplete { get; }

    public IReadOnlyList<AnalyzedResource<VirtualServiceSpec>> VirtualServices { get; }

    public IReadOnlyList<AnalyzedResource<DestinationRuleSpec>> DestinationRules { get; }

    public IReadOnlyList<AnalyzedResource<GatewaySpec>> Gateways { get; }

    public IReadOnlyList<AnalyzedResource<ServiceEntrySpec>> ServiceEntries { get; }

    public HostRegistry Registry { get; }

    /// <summary>The DestinationRules that apply to a destination host: exact hosts first, else the most specific wildcard.</summary>
    public IReadOnlyList<AnalyzedResource<DestinationRuleSpec>> RulesFor(string host)
    {
        var withHosts = DestinationRules
            .Where(r => r.Spec.Host is { Length: > 0 })
            .Select(r => (Rule: r, Host: ServiceHosts.Qualify(r.Spec.Host!, r.Namespace)))
            .ToList();
        var exact = withHosts.Where(r => string.Equals(r.Host, host, StringComparison.OrdinalIgnoreCase)).Select(r => r.Rule).ToList();
        if (exact.Count > 0)
        {
            return exact;
        }

        var covering = withHosts.Where(r => MeshHostNames.IsWildcard(r.Host) && MeshHostNames.Covers(r.Host, host)).ToList();
        if (covering.Count == 0)
        {
            return [];
        }

        var longest = covering.Max(r => r.Host.Length);
        return [.. covering.Where(r => r.Host.Length == longest).Select(r => r.Rule)];
    }

    private static List<AnalyzedResource<TSpec>> Bind<TSpec>(IReadOnlyList<LocatedResource> resources, MeshKind kind)
        where TSpec : class =>
    [
        .. resources
            .Where(r => r.Resource.Kind == kind.Kind)
            .Select(r => (Located: r, Spec: kind.Bind(r.Resource.Spec).Value as TSpec))
            .Where(r => r.Spec is not null)
            .Select(r => new AnalyzedResource<TSpec>(r.Located, r.Spec!)),
    ];
}
