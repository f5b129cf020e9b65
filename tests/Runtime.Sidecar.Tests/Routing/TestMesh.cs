using System.Text.Json;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tests.Routing;

/// <summary>Builds snapshots, identities and requests for routing tests.</summary>
internal static class TestMesh
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static SidecarIdentity Self(string ns = "default", params (string Key, string Value)[] labels) =>
        new("productpage", ns, labels.ToDictionary(l => l.Key, l => l.Value), "bookinfo-productpage");

    public static MeshResource Resource(string kind, string name, string specJson, string ns = "default", int createdMinute = 0) => new()
    {
        ApiVersion = "networking.istio.io/v1",
        Kind = kind,
        Metadata = new ObjectMeta { Name = name, Namespace = ns, CreationTimestamp = Epoch.AddMinutes(createdMinute) },
        Spec = JsonDocument.Parse(specJson).RootElement.Clone(),
    };

    public static MeshResource Vs(string name, string specJson, string ns = "default", int createdMinute = 0) => Resource("VirtualService", name, specJson, ns, createdMinute);

    public static MeshResource Dr(string name, string specJson, string ns = "default", int createdMinute = 0) => Resource("DestinationRule", name, specJson, ns, createdMinute);

    public static MeshResource Se(string name, string specJson, string ns = "default") => Resource("ServiceEntry", name, specJson, ns);

    public static MeshEndpoint Endpoint(string address, string? version = null, EndpointHealth health = EndpointHealth.Healthy) => new()
    {
        Address = address,
        Port = 15006,
        Health = health,
        Labels = version is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["version"] = version },
        Instance = address,
    };

    public static MeshService Service(string name, string ns = "default", params MeshEndpoint[] endpoints) => new()
    {
        Name = name,
        Namespace = ns,
        Host = $"{name}.{ns}.svc.cluster.local",
        Endpoints = endpoints.Length == 0 ? [Endpoint($"10.0.0.{Math.Abs(name.GetHashCode(StringComparison.Ordinal) % 200) + 1}")] : endpoints,
    };

    public static RouteTableBuild Build(IEnumerable<MeshService> services, IEnumerable<MeshResource> resources, SidecarIdentity? self = null) =>
        RouteTable.Build(new ProxySnapshot { Version = "v1", Services = services.ToArray(), Resources = resources.ToArray() }, self ?? Self());

    /// <summary>Builds a table and fails the test on any error-level problem.</summary>
    public static RouteTable Table(IEnumerable<MeshService> services, params MeshResource[] resources) => Table(services, Self(), resources);

    public static RouteTable Table(IEnumerable<MeshService> services, SidecarIdentity self, params MeshResource[] resources)
    {
        var build = Build(services, resources, self);
        Assert.False(build.IsFatal, build.NackReason);
        return build.Table;
    }

    public static RequestView Get(string url, IReadOnlyDictionary<string, string>? headers = null, string method = "GET", string sourceIp = "10.1.1.1")
    {
        var uri = new Uri(url);
        var authority = uri.IsDefaultPort && !url.Contains($":{uri.Port}", StringComparison.Ordinal) ? uri.Host : $"{uri.Host}:{uri.Port}";
        var lookup = headers is null ? null : new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        return RequestView.FromPathAndQuery(method, uri.Scheme, authority, uri.PathAndQuery, lookup is null ? null : name => lookup.GetValueOrDefault(name), sourceIp);
    }

    public static Forward Forwarded(RouteDecision decision) =>
        Assert.IsType<Forward>(decision);

    public static IEnumerable<ValidationIssue> Warnings(RouteTableBuild build) => build.Problems.Where(p => p.Severity == IssueSeverity.Warning);
}
