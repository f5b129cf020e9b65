using Runtime.Grpc.Client;
using Runtime.Silo.Hosting;
using Runtime.Silo.Tests.Testing;

namespace Runtime.Silo.Tests.Api;

/// <summary>A real control plane on 127.0.0.1 port 0 with its own data directory, and a gRPC client for it.</summary>
internal sealed class ApiFixture : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private ApiFixture(TempDirectory directory, RunningSilo silo)
    {
        _directory = directory;
        Silo = silo;
        Client = new GrpcClient(silo.GrpcAddress);
    }

    public RunningSilo Silo { get; private set; }

    public GrpcClient Client { get; private set; }

    public string DataDir => _directory.Path;

    public static async Task<ApiFixture> StartAsync(TempDirectory? directory = null)
    {
        directory ??= new TempDirectory();
        var silo = await StartSiloAsync(directory.Path);
        return new ApiFixture(directory, silo);
    }

    /// <summary>Stops the control plane and starts a new one on the same store, as a process restart would.</summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await Silo.DisposeAsync();
        Silo = await StartSiloAsync(_directory.Path);
        Client = new GrpcClient(Silo.GrpcAddress);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Silo.DisposeAsync();
        _directory.Dispose();
    }

    private static Task<RunningSilo> StartSiloAsync(string dataDir) =>
        SiloHost.StartAsync(
            new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = dataDir, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning },
            CancellationToken.None).Within("the control plane to start");
}
