using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Routing;

/// <summary>Header operations for one direction (request or response): set, add, remove.</summary>
/// <param name="Set">Overwrite (or create) these headers.</param>
/// <param name="Add">Append these values.</param>
/// <param name="Remove">Remove these headers.</param>
internal sealed record HeaderMutations(
    IReadOnlyList<KeyValuePair<string, string>> Set,
    IReadOnlyList<KeyValuePair<string, string>> Add,
    IReadOnlyList<string> Remove)
{
    /// <summary>No operations.</summary>
    public static HeaderMutations None { get; } = new([], [], []);

    /// <summary>True when there is nothing to do.</summary>
    public bool IsEmpty => Set.Count == 0 && Add.Count == 0 && Remove.Count == 0;

    /// <summary>
    /// Merges destination-level and route-level operations the way Envoy applies them by default (most specific
    /// first, so a less specific level wins): on a conflicting <c>set</c> the route level wins; <c>add</c> values
    /// of both levels are kept (destination first); removals are the union.
    /// </summary>
    public static HeaderMutations Merge(HeaderOperation? destination, HeaderOperation? route)
    {
        if (destination is null && route is null)
        {
            return None;
        }

        var set = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var op in new[] { destination, route })
        {
            foreach (var (name, value) in op?.Set ?? new Dictionary<string, string>())
            {
                set[name] = value;
            }
        }

        var add = (destination?.Add ?? new Dictionary<string, string>()).Concat(route?.Add ?? new Dictionary<string, string>()).ToArray();
        var remove = (destination?.Remove ?? []).Concat(route?.Remove ?? []).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return new HeaderMutations(set.ToArray(), add, remove);
    }
}
