using System.Collections.Concurrent;

namespace Runtime.Sidecar.Routing;

/// <summary>
/// One weighted destination of one match branch. The <see cref="Forward"/> it decides on depends only on the
/// request port (for destinations without an explicit port), so it is built once per port and reused: the hot path
/// returns a cached decision and allocates nothing.
/// </summary>
internal sealed class WeightedDestination(string host, string? subset, int? port, int weight, RouteActions actions, MirrorSpec[] mirrors)
{
    private readonly ConcurrentDictionary<int, Forward> _byPort = new();

    /// <summary>The configured weight.</summary>
    public int Weight => weight;

    /// <summary>The decision for a request addressed to <paramref name="requestPort"/>.</summary>
    public Forward ForPort(int requestPort) => _byPort.TryGetValue(requestPort, out var forward)
        ? forward
        : _byPort.GetOrAdd(requestPort, static (p, self) => self.Create(p), this);

    private Forward Create(int requestPort)
    {
        var key = new ClusterKey(host, subset, port ?? requestPort);
        var resolved = mirrors.Length == 0 ? actions : actions with
        {
            Mirrors = mirrors.Select(m => new MirrorTarget(new ClusterKey(m.Host, m.Subset, m.Port ?? requestPort), m.Percentage)).ToArray(),
        };
        return new Forward(new RouteTarget(key, weight), resolved);
    }
}
