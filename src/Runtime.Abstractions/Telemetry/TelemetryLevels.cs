using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;

namespace Runtime.Abstractions.Telemetry;

/// <summary>
/// Istio's Telemetry precedence for one workload, shared by access logging and tracing: the workload-selector
/// Telemetry of the workload's namespace, else the namespace-wide one, else the mesh-wide one (a root namespace, see
/// <see cref="RootNamespaces"/>). Only resources with an entry for the asked side take part; several at one level:
/// the oldest wins (then the first by name).
/// </summary>
public static class TelemetryLevels
{
    /// <summary>The deciding resource and its entry, or null when no level has one.</summary>
    /// <param name="resources">The resources in force (other kinds are ignored).</param>
    /// <param name="namespace">The workload's namespace.</param>
    /// <param name="labels">The workload's labels, matched by <c>selector.matchLabels</c>.</param>
    /// <param name="entryOf">The entry of a Telemetry spec for the asked side, or null when it has none.</param>
    public static (MeshResource Resource, TEntry Entry)? Resolve<TEntry>(IEnumerable<MeshResource> resources, string @namespace, IReadOnlyDictionary<string, string> labels, Func<TelemetrySpec, TEntry?> entryOf)
        where TEntry : class =>
        Chain(resources, @namespace, labels, entryOf) is [.., var mostSpecific] ? mostSpecific : null;

    /// <summary>
    /// Every level that has an entry, least specific first: mesh, then namespace, then workload (at most one each).
    /// Metrics overrides are applied along this chain, each level on top of the one before, as Istio does.
    /// </summary>
    /// <param name="resources">The resources in force (other kinds are ignored).</param>
    /// <param name="namespace">The workload's namespace.</param>
    /// <param name="labels">The workload's labels, matched by <c>selector.matchLabels</c>.</param>
    /// <param name="entryOf">The entry of a Telemetry spec, or null when it has none.</param>
    public static IReadOnlyList<(MeshResource Resource, TEntry Entry)> Chain<TEntry>(IEnumerable<MeshResource> resources, string @namespace, IReadOnlyDictionary<string, string> labels, Func<TelemetrySpec, TEntry?> entryOf)
        where TEntry : class
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(entryOf);
        var candidates = new List<(MeshResource Resource, TelemetrySpec Spec, TEntry Entry)>();
        foreach (var resource in resources)
        {
            if (resource.Kind == MeshKinds.Telemetry.Kind && MeshKinds.Telemetry.Bind(resource.Spec).Value is TelemetrySpec spec && entryOf(spec) is { } entry)
            {
                candidates.Add((resource, spec, entry));
            }
        }

        candidates.Sort((a, b) => Compare(a.Resource, b.Resource));
        var mesh = RootNamespaces.All.Select(root => candidates.FirstOrDefault(c => c.Resource.Metadata.Namespace == root && c.Spec.Selector?.MatchLabels is null or { Count: 0 }))
            .FirstOrDefault(c => c.Resource is not null);
        var namespaceWide = candidates.FirstOrDefault(c => c.Resource.Metadata.Namespace == @namespace && c.Spec.Selector?.MatchLabels is null or { Count: 0 });
        var workload = candidates.FirstOrDefault(c => c.Resource.Metadata.Namespace == @namespace && c.Spec.Selector?.MatchLabels is { Count: > 0 } wanted && Matches(wanted, labels));
        var chain = new List<(MeshResource Resource, TEntry Entry)>(3);
        foreach (var level in new[] { mesh, namespaceWide, workload })
        {
            // In a root namespace the namespace-wide resource is the mesh-wide one: count it once.
            if (level.Resource is not null && !chain.Exists(c => ReferenceEquals(c.Resource, level.Resource)))
            {
                chain.Add((level.Resource, level.Entry));
            }
        }

        return chain;
    }

    /// <summary>Whether an entry with this <c>match</c> applies to the client side (<paramref name="client"/>) or the server side.</summary>
    public static bool AppliesTo(WorkloadModeSelector? match, bool client) => match?.Mode switch
    {
        WorkloadMode.Client => client,
        WorkloadMode.Server => !client,
        _ => true,
    };

    private static bool Matches(IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> labels) =>
        wanted.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    private static int Compare(MeshResource a, MeshResource b)
    {
        var created = Nullable.Compare(a.Metadata.CreationTimestamp, b.Metadata.CreationTimestamp);
        return created != 0 ? created : string.CompareOrdinal($"{a.Metadata.Namespace}/{a.Metadata.Name}", $"{b.Metadata.Namespace}/{b.Metadata.Name}");
    }
}
