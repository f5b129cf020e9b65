using Microsoft.Extensions.DependencyInjection;
using Runtime.Grpc.Client;
using Runtime.Silo.Discovery;
using Runtime.Silo.Hosting;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Discovery;

/// <summary>
/// A real control plane on port 0 whose wall clock is a <see cref="ManualTimeProvider"/> (TTLs run out when the
/// test advances it), a management client, and fake sidecars that speak DiscoveryService over gRPC.
/// </summary>
internal sealed class DiscoveryFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly List<FakeSidecar> _sidecars = [];

    private DiscoveryFixture()
    {
    }

    public ManualTimeProvider Time { get; } = new();

    public RunningSilo Silo { get; private set; } = null!;

    public GrpcClient Client { get; private set; } = null!;

    public static async Task<DiscoveryFixture> StartAsync()
    {
        var fixture = new DiscoveryFixture();
        await fixture.StartSiloAsync();
        return fixture;
    }

    /// <summary>Stops the control plane and starts a new one on the same store: registrations are gone.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await Silo.DisposeAsync();
        await StartSiloAsync();
    }

    public async Task<FakeSidecar> RegisterAsync(string service, string ns, string address, string instance = "", Dictionary<string, string>? labels = null)
    {
        var sidecar = await FakeSidecar.RegisterAsync(Silo.GrpcAddress, service, ns, address, instance, labels);
        _sidecars.Add(sidecar);
        return sidecar;
    }

    public Task<V1.ListProxiesResponse> ListProxiesAsync(params V1.ResourceRef[] applied)
    {
        var request = new V1.ListProxiesRequest();
        request.AppliedResources.AddRange(applied);
        return Client.CallAsync("DiscoveryService/ListProxies", request, V1.ListProxiesResponse.Parser);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sidecar in _sidecars)
        {
            sidecar.Dispose();
        }

        Client.Dispose();
        await Silo.DisposeAsync();
        _directory.Dispose();
    }

    private async Task StartSiloAsync()
    {
        var options = new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = _directory.Path, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning };
        Silo = await SiloHost.StartAsync(options, services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            // Scan often so a TTL that ran out on the manual clock is noticed quickly in real time.
            services.Configure<DiscoveryOptions>(discovery => discovery.ExpiryScanInterval = TimeSpan.FromMilliseconds(100));
        }, CancellationToken.None).Within("the control plane to start");
        Client = new GrpcClient(Silo.GrpcAddress);
    }
}
