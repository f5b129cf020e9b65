using System.Globalization;
using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.LoadBalancing;

/// <summary>
/// Consistent hashing on a ring of virtual nodes (Envoy's ring hash). Istio's <c>ringHash.minimumRingSize</c>,
/// the deprecated top-level <c>minimumRingSize</c> and <c>maglev.tableSize</c> all size the same ring: Maglev's
/// lookup table is a different way to get the same property (a key keeps its endpoint while the endpoint set is
/// stable, and most keys keep it when one endpoint comes or goes), so one implementation serves both. As in
/// Envoy, each endpoint gets ceil(ringSize / endpoints) virtual nodes named after its address.
/// A request with no hash key (header, cookie or parameter absent) gets a random endpoint, as in Envoy.
/// </summary>
internal sealed class ConsistentHashBalancer : LoadBalancer
{
    /// <summary>Envoy's default minimum ring size.</summary>
    public const long DefaultRingSize = 1024;

    private const long MaximumRingSize = 8 * 1024 * 1024;

    private readonly ulong[] _ring;
    private readonly int[] _owners;

    /// <summary>Builds the ring.</summary>
    /// <param name="endpoints">The eligible endpoints.</param>
    /// <param name="source">What to hash.</param>
    /// <param name="keyName">Header, cookie or query parameter name.</param>
    /// <param name="cookiePath">Path of an issued cookie.</param>
    /// <param name="cookieTtl">TTL of an issued cookie; null means never issue one.</param>
    /// <param name="ringSize">Minimum number of virtual nodes.</param>
    public ConsistentHashBalancer(IReadOnlyList<MeshEndpoint> endpoints, HashKeySource source, string? keyName, string? cookiePath, TimeSpan? cookieTtl, long ringSize)
        : base(endpoints)
    {
        Source = source;
        KeyName = keyName ?? "";
        CookiePath = cookiePath;
        CookieTtl = cookieTtl;
        var count = endpoints.Count;
        var perEndpoint = count == 0 ? 0 : (int)Math.Ceiling((double)Math.Clamp(ringSize, 1, MaximumRingSize) / count);
        var nodes = new List<(ulong Hash, int Owner)>(perEndpoint * count);
        for (var i = 0; i < count; i++)
        {
            var id = $"{endpoints[i].Address}:{endpoints[i].Port.ToString(CultureInfo.InvariantCulture)}_";
            for (var replica = 0; replica < perEndpoint; replica++)
            {
                nodes.Add((StableHash.Of(id + replica.ToString(CultureInfo.InvariantCulture)), i));
            }
        }

        nodes.Sort((a, b) => a.Hash.CompareTo(b.Hash));
        _ring = nodes.Select(n => n.Hash).ToArray();
        _owners = nodes.Select(n => n.Owner).ToArray();
    }

    /// <summary>What this balancer hashes.</summary>
    public HashKeySource Source { get; }

    /// <summary>The header, cookie or query parameter name.</summary>
    public string KeyName { get; }

    /// <summary>Path for issued cookies.</summary>
    public string? CookiePath { get; }

    /// <summary>TTL for issued cookies; null means the proxy never issues one.</summary>
    public TimeSpan? CookieTtl { get; }

    /// <summary>Number of virtual nodes on the ring.</summary>
    public int RingSize => _ring.Length;

    /// <inheritdoc />
    public override string Policy => "CONSISTENT_HASH";

    /// <inheritdoc />
    public override MeshEndpoint? Pick(in RequestView request)
    {
        if (_ring.Length == 0)
        {
            return null;
        }

        ulong hash;
        switch (Source)
        {
            case HashKeySource.Header when request.Headers(KeyName) is { } header:
                hash = StableHash.Of(header);
                break;
            case HashKeySource.Cookie when CookieHeader.TryGet(request.Headers("cookie"), KeyName, out var cookie):
                hash = StableHash.Of(cookie);
                break;
            case HashKeySource.Cookie when CookieTtl is not null:
                hash = StableHash.Of(IssuedCookieValue(request));
                break;
            case HashKeySource.SourceIp when request.SourceIp.Length > 0:
                hash = StableHash.Of(request.SourceIp);
                break;
            case HashKeySource.QueryParameter when Routing.QueryString.TryGet(request.Query, KeyName, out var value):
                hash = StableHash.Of(Routing.QueryString.Decode(value));
                break;
            default:
                return Endpoints[Random.Shared.Next(Endpoints.Count)];
        }

        var index = Array.BinarySearch(_ring, hash);
        if (index < 0)
        {
            index = ~index;
        }

        return Endpoints[_owners[index == _ring.Length ? 0 : index]];
    }

    /// <summary>
    /// When hashing by cookie with a TTL and the request lacks the cookie, the cookie to set: its value is derived
    /// from the caller's address (as Envoy derives it from the downstream address) and is exactly what
    /// <see cref="Pick"/> hashed, so the next request carrying it lands on the same endpoint.
    /// </summary>
    public override AffinityCookie? CookieToIssue(in RequestView request) =>
        Source == HashKeySource.Cookie && CookieTtl is { } ttl && !CookieHeader.TryGet(request.Headers("cookie"), KeyName, out _)
            ? new AffinityCookie(KeyName, IssuedCookieValue(request), CookiePath, ttl)
            : null;

    private static string IssuedCookieValue(in RequestView request) =>
        StableHash.Of(request.SourceIp).ToString("x16", CultureInfo.InvariantCulture);
}
