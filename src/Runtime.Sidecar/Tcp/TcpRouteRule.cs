using System.Net;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// One compiled <c>tcp:</c> rule of a VirtualService: its match conditions and weighted destinations. The split is
/// a smooth weighted rotation (nginx's smooth weighted round robin): every run of <c>sum(weights)</c> connections is
/// split exactly as asked and interleaved, so any first n connections are within one of their shares. Connections are few and long
/// next to requests, so the exact split is worth the small lock.
/// </summary>
internal sealed class TcpRouteRule
{
    private readonly IReadOnlyList<L4MatchAttributes> _matches;
    private readonly (Destination Destination, int Weight)[] _destinations;
    private readonly int _total;
    private readonly int[] _current;
    private readonly Lock _lock = new();

    /// <summary>Compiles <paramref name="route"/>, the <paramref name="index"/>th rule of <paramref name="virtualService"/>.</summary>
    public TcpRouteRule(TcpRoute route, string virtualService, int index)
    {
        _matches = route.Match ?? [];
        var destinations = (route.Route ?? []).Where(d => d.Destination?.Host is { Length: > 0 }).ToArray();
        // Istio: a single destination takes everything; with several, an unset weight counts 0.
        _destinations = [.. destinations.Select(d => (d.Destination!, destinations.Length == 1 ? 1 : Math.Max(0, d.Weight ?? 0)))];
        _total = _destinations.Sum(d => d.Weight);
        _current = new int[_destinations.Length];
        Name = $"VirtualService {virtualService} tcp[{index}]";
    }

    /// <summary>The rule, as sentences name it.</summary>
    public string Name { get; }

    /// <summary>Whether a connection to <paramref name="host"/>:<paramref name="port"/> from this workload matches.</summary>
    public bool Matches(string host, int port, SidecarIdentity self) =>
        _matches.Count == 0 || _matches.Any(m => Matches(m, host, port, self));

    /// <summary>The next destination of the rotation; null when the rule has none with a weight.</summary>
    public Destination? Pick()
    {
        if (_total == 0)
        {
            return null;
        }

        lock (_lock)
        {
            var best = -1;
            for (var i = 0; i < _destinations.Length; i++)
            {
                _current[i] += _destinations[i].Weight;
                if (_destinations[i].Weight > 0 && (best < 0 || _current[i] > _current[best]))
                {
                    best = i;
                }
            }

            _current[best] -= _total;
            return _destinations[best].Destination;
        }
    }

    private static bool Matches(L4MatchAttributes match, string host, int port, SidecarIdentity self)
    {
        if (match.Port is int wanted && wanted != port)
        {
            return false;
        }

        if (match.SourceNamespace is { Length: > 0 } ns && !string.Equals(ns, self.Namespace, StringComparison.Ordinal))
        {
            return false;
        }

        if (match.SourceLabels is { Count: > 0 } labels && !labels.All(l => self.Labels.TryGetValue(l.Key, out var value) && value == l.Value))
        {
            return false;
        }

        if (match.Gateways is { Count: > 0 } gateways && !gateways.Contains("mesh"))
        {
            return false;
        }

        // Destination subnets name addresses: a CONNECT to a name never falls in one.
        return match.DestinationSubnets is not { Count: > 0 } subnets
            || (IPAddress.TryParse(host, out var address) && subnets.Any(s => Contains(s, address)));
    }

    private static bool Contains(string subnet, IPAddress address) =>
        subnet.Contains('/', StringComparison.Ordinal)
            ? IPNetwork.TryParse(subnet, out var network) && network.Contains(address)
            : IPAddress.TryParse(subnet, out var single) && single.Equals(address);
}
