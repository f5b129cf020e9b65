using Runtime.Silo.Hosting;

namespace Runtime.Cli.Tests.Testing;

/// <summary>A real control plane on 127.0.0.1 port 0 with a throwaway store, for meshctl to talk to.</summary>
internal sealed class ControlPlane : IAsyncDisposable
{
    private readonly string _dataDir;
    private readonly RunningSilo _silo;

    private ControlPlane(string dataDir, RunningSilo silo)
    {
        _dataDir = dataDir;
        _silo = silo;
    }

    public string Server => _silo.GrpcAddress.ToString();

    public static async Task<ControlPlane> StartAsync(Action<SiloOptions>? configure = null)
    {
        var dataDir = Directory.CreateTempSubdirectory("meshctl-tests-").FullName;
        var options = new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = dataDir, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning };
        configure?.Invoke(options);
        var silo = await SiloHost.StartAsync(options, CancellationToken.None).WaitAsync(Meshctl.Timeout);
        return new ControlPlane(dataDir, silo);
    }

    public Task<MeshctlResult> RunAsync(params string[] args) => Meshctl.RunAsync(Server, null, args);

    public Task<MeshctlResult> RunWithInputAsync(string stdin, params string[] args) => Meshctl.RunAsync(Server, stdin, args);

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }
}
