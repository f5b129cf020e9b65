using Runtime.Grpc.Client;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Dashboard.Tests;

/// <summary>
/// A small Bookinfo on loopback for the dashboard tests: a real control plane, real apps and real sidecars with
/// workload certificates (productpage, reviews v1 and v2, ratings v1), the VirtualService and DestinationRule
/// that split reviews 90/10, and steady traffic productpage -> reviews and reviews v1 -> ratings.
/// </summary>
public sealed class BookinfoMesh : IAsyncLifetime
{
    /// <summary>The split the mesh starts with.</summary>
    public const string ReviewsSplit9010 = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: { name: reviews, namespace: default }
        spec:
          host: reviews
          subsets:
          - { name: v1, labels: { version: v1 } }
          - { name: v2, labels: { version: v2 } }
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: reviews, namespace: default }
        spec:
          hosts: [reviews]
          http:
          - route:
            - { destination: { host: reviews, subset: v1 }, weight: 90 }
            - { destination: { host: reviews, subset: v2 }, weight: 10 }
        """;

    /// <summary>The same VirtualService at 50/50.</summary>
    public const string ReviewsSplit5050 = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: { name: reviews, namespace: default }
        spec:
          hosts: [reviews]
          http:
          - route:
            - { destination: { host: reviews, subset: v1 }, weight: 50 }
            - { destination: { host: reviews, subset: v2 }, weight: 50 }
        """;

    private readonly List<SteadyLoad> _loads = [];
    private MeshHarness? _mesh;

    internal MeshHarness Mesh => _mesh ?? throw new InvalidOperationException("the mesh is not started");

    /// <summary>The control plane's HTTP listener (dashboard, metrics).</summary>
    public Uri Http => Mesh.Silo!.HttpAddress;

    /// <summary>The proxy count: productpage, reviews v1, reviews v2, ratings v1.</summary>
    public const int ProxyCount = 4;

    public async Task InitializeAsync()
    {
        _mesh = await MeshHarness.StartAsync();
        await Mesh.ApplyAsync(ReviewsSplit9010);
        var ratings = await Mesh.StartAppAsync("ratings-v1");
        var reviews1 = await Mesh.StartAppAsync("reviews-v1");
        var reviews2 = await Mesh.StartAppAsync("reviews-v2");
        await StartSidecarAsync("ratings", ratings, "app=ratings", "version=v1");
        var reviewsV1 = await StartSidecarAsync("reviews", reviews1, "app=reviews", "version=v1");
        await StartSidecarAsync("reviews", reviews2, "app=reviews", "version=v2");
        var productpage = await StartSidecarAsync("productpage", null, "app=productpage", "version=v1");
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 2);
        await MeshHarness.WaitForEndpointsAsync(reviewsV1, "ratings.default.svc.cluster.local", 1);
        await MeshHarness.WaitForConfigAsync(productpage, "subset");
        _loads.Add(SteadyLoad.Start(productpage.OutboundAddress, "reviews"));
        _loads.Add(SteadyLoad.Start(reviewsV1.OutboundAddress, "ratings"));
        foreach (var load in _loads)
        {
            await load.WaitForAsync(20);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var load in _loads)
        {
            await load.DisposeAsync();
        }

        if (_mesh is not null)
        {
            await _mesh.DisposeAsync();
        }
    }

    /// <summary>Applies <paramref name="manifest"/> through the management API.</summary>
    public Task ApplyAsync(string manifest) => Mesh.ApplyAsync(manifest);

    /// <summary>A sidecar with a workload certificate from the control plane's CA (bootstrap token for its service account).</summary>
    private async Task<RunningSidecar> StartSidecarAsync(string service, TestServer? app, params string[] labels)
    {
        using var api = new GrpcClient(Mesh.ControlPlane);
        var token = await api.UnaryAsync(
            "/runtime.mesh.v1.CertificateService/CreateToken",
            new V1.CreateTokenRequest { Namespace = "default", ServiceAccount = service },
            V1.CreateTokenResponse.Parser).Within();
        Mesh.ConfigureSidecar = options =>
        {
            options.ServiceAccount = service;
            options.Token = token.Token;
        };
        return await Mesh.StartSidecarAsync(service, app, labels: labels);
    }
}
