using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Runtime.Grpc.Client;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Testing;
using Runtime.Silo.Hosting;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Tests.Mesh;

/// <summary>
/// A whole mesh on loopback: a real control plane, real application servers and a real sidecar in front of
/// each, all on port 0. Apps answer with their name, so a test can see which instance served a request.
/// </summary>
internal sealed class MeshHarness : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _root = Directory.CreateTempSubdirectory("mesh-e2e-").FullName;

    private MeshHarness(RunningSilo? silo, Uri controlPlane)
    {
        Silo = silo;
        ControlPlane = controlPlane;
        Api = new GrpcClient(controlPlane);
    }

    /// <summary>The in-process control plane; null when the harness uses one it does not own.</summary>
    public RunningSilo? Silo { get; private set; }

    public Uri ControlPlane { get; }

    public GrpcClient Api { get; private set; }

    public static async Task<MeshHarness> StartAsync(TimeSpan? endpointTtl = null)
    {
        var directory = Directory.CreateTempSubdirectory("mesh-e2e-silo-").FullName;
        var options = new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = directory, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning };
        if (endpointTtl is { } ttl)
        {
            options.EndpointTtl = ttl;
            options.HeartbeatInterval = ttl / 4;
        }

        var silo = await SiloHost.StartAsync(options, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        return new MeshHarness(silo, silo.GrpcAddress);
    }

    /// <summary>A harness whose sidecars use a control plane someone else runs (e.g. a separate process).</summary>
    public static MeshHarness Detached(Uri controlPlane) => new(null, controlPlane);

    /// <summary>An app that answers "<paramref name="name"/> &lt;path&gt;" and echoes a few request headers back as x-seen-*.</summary>
    public async Task<TestServer> StartAppAsync(string name)
    {
        var app = await TestServer.StartAsync(async context =>
        {
            foreach (var header in new[] { "host", "x-request-id", "x-forwarded-for", "x-forwarded-proto", "end-user" })
            {
                if (context.Request.Headers.TryGetValue(header, out var value))
                {
                    context.Response.Headers["x-seen-" + header] = value;
                }
            }

            await context.Response.WriteAsync($"{name} {context.Request.Path}{context.Request.QueryString}");
        });
        _owned.Add(app);
        return app;
    }

    /// <summary>Adjusts the options of each sidecar started next (e.g. its access-log path).</summary>
    public Action<SidecarOptions>? ConfigureSidecar { get; set; }

    /// <summary>Starts a sidecar for <paramref name="service"/> with the given labels, in front of <paramref name="app"/> (or none).</summary>
    public async Task<RunningSidecar> StartSidecarAsync(string service, TestServer? app, string? dataDir = null, int? appPort = null, params string[] labels)
    {
        var options = new SidecarOptions
        {
            Service = service,
            AppPort = appPort ?? app?.Address.Port,
            InboundPort = 0,
            OutboundPort = 0,
            AdminPort = 0,
            DataDir = dataDir ?? Path.Combine(_root, service + "-" + Guid.NewGuid().ToString("N")[..8]),
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        };
        options.ControlPlanes.Add(ControlPlane);
        ConfigureSidecar?.Invoke(options);
        foreach (var label in labels)
        {
            var parts = label.Split('=');
            options.Labels[parts[0]] = parts[1];
        }

        var sidecar = await SidecarHost.StartAsync(options, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        _owned.Add(sidecar);
        return sidecar;
    }

    public async Task ApplyAsync(string manifest)
    {
        var request = new V1.ApplyRequest();
        request.Manifests.Add(new V1.Manifest { Source = "test.yaml", Content = manifest });
        await Api.UnaryAsync("/runtime.mesh.v1.ConfigService/Apply", request, V1.ApplyResponse.Parser, new GrpcCallOptions { Timeout = TestTimeouts.Default });
    }

    public async Task<V1.ListProxiesResponse> ProxiesAsync() =>
        await Api.UnaryAsync("/runtime.mesh.v1.DiscoveryService/ListProxies", new V1.ListProxiesRequest(), V1.ListProxiesResponse.Parser, new GrpcCallOptions { Timeout = TestTimeouts.Default });

    /// <summary>Waits until <paramref name="sidecar"/>'s admin /clusters shows <paramref name="count"/> endpoints for <paramref name="host"/>.</summary>
    public static Task WaitForEndpointsAsync(RunningSidecar sidecar, string host, int count) =>
        Eventually.Async($"{count} endpoints for {host} at {sidecar.AdminAddress}", async () =>
        {
            using var client = new HttpClient();
            var clusters = await client.GetFromJsonAsync<JsonElement>(new Uri(sidecar.AdminAddress, "/clusters"));
            return clusters.EnumerateArray().Any(c => c.GetProperty("host").GetString() == host && c.GetProperty("endpoints").GetArrayLength() == count);
        });

    /// <summary>Waits until <paramref name="sidecar"/>'s config dump contains <paramref name="text"/>.</summary>
    public static Task WaitForConfigAsync(RunningSidecar sidecar, string text) =>
        Eventually.Async($"config containing '{text}' at {sidecar.AdminAddress}", async () =>
        {
            using var client = new HttpClient();
            return (await client.GetStringAsync(new Uri(sidecar.AdminAddress, "/config_dump"))).Contains(text, StringComparison.Ordinal);
        });

    public async Task StopSiloAsync()
    {
        Api.Dispose();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Sidecars first (they deregister), then apps, then the control plane.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Api.Dispose();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
