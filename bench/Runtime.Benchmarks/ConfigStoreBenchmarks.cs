using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Runtime.Abstractions.Resources;
using Runtime.Grpc.Client;
using Runtime.Silo.Hosting;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Benchmarks;

/// <summary>
/// Apply and list throughput for 10,000 VirtualServices on the embedded SQLite store: through the store alone,
/// through manifest parsing and validation, and end to end through the gRPC management API on loopback.
/// Each apply iteration stores 10,000 new resources (fresh names), so every one is a real insert.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
[MemoryDiagnoser]
public class ConfigStoreBenchmarks
{
    private const int Count = 10_000;
    private const string ListMethod = "/runtime.mesh.v1.ConfigService/List";
    private const string ApplyMethod = "/runtime.mesh.v1.ConfigService/Apply";

    private string _dataDir = "";
    private RunningSilo? _silo;
    private GrpcClient? _client;
    private string _manifest = "";
    private IReadOnlyList<MeshResource> _resources = [];
    private int _iteration;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dataDir = Directory.CreateTempSubdirectory("mesh-bench-").FullName;
        _silo = await SiloHost.StartAsync(
            new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = _dataDir, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning },
            CancellationToken.None);
        _client = new GrpcClient(_silo.GrpcAddress) { MaxReceiveMessageSize = 64 * 1024 * 1024 };
        _manifest = Manifests.VirtualServices(Count, "listed");
        await _silo.Store.ApplyAsync(ManifestReader.Read(_manifest, "bench").Resources, dryRun: false, CancellationToken.None);
    }

    [IterationSetup(Targets = [nameof(StoreApply)])]
    public void PrepareStoreApply() => _resources = ManifestReader.Read(Manifests.VirtualServices(Count, $"store{++_iteration}"), "bench").Resources;

    [IterationSetup(Targets = [nameof(ApiApply)])]
    public void PrepareApiApply() => _manifest = Manifests.VirtualServices(Count, $"api{++_iteration}");

    /// <summary>10,000 already-parsed resources stored in one all-or-nothing transaction.</summary>
    [Benchmark]
    public Task StoreApply() => _silo!.Store.ApplyAsync(_resources, dryRun: false, CancellationToken.None);

    /// <summary>Reading and validating a 10,000-document manifest (what every apply does first).</summary>
    [Benchmark]
    public int ParseAndValidate() => ManifestReader.Read(_manifest, "bench").Resources.Count;

    /// <summary>The whole path meshctl takes: manifest over gRPC, parsed, validated and stored.</summary>
    [Benchmark]
    public Task ApiApply()
    {
        var request = new V1.ApplyRequest();
        request.Manifests.Add(new V1.Manifest { Source = "bench", Content = _manifest });
        return _client!.UnaryAsync(ApplyMethod, request, V1.ApplyResponse.Parser);
    }

    /// <summary>Listing the 10,000 resources of one namespace from the store.</summary>
    [Benchmark]
    public Task StoreList() => _silo!.Store.ListAsync("VirtualService", "bench", selector: null, CancellationToken.None);

    /// <summary>Listing the same 10,000 through gRPC, mapped to wire messages.</summary>
    [Benchmark]
    public Task ApiList() => _client!.UnaryAsync(ListMethod, new V1.ListRequest { Kind = "vs", Namespace = "bench" }, V1.ListResponse.Parser);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client?.Dispose();
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }

        Directory.Delete(_dataDir, recursive: true);
    }
}
