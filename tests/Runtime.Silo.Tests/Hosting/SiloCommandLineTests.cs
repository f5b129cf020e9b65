using Microsoft.Extensions.Logging;
using Runtime.Silo.Hosting;
using Runtime.Silo.Tests.Testing;

namespace Runtime.Silo.Tests.Hosting;

public sealed class SiloCommandLineTests
{
    private static readonly Dictionary<string, string?> NoEnvironment = [];

    [Fact]
    public void Parse_Nothing_Defaults()
    {
        var result = SiloCommandLine.Parse([], NoEnvironment);

        Assert.Empty(result.Errors);
        Assert.Equal(15010, result.Options.GrpcPort);
        Assert.Equal(15014, result.Options.HttpPort);
        Assert.Equal("127.0.0.1", result.Options.ListenAddress);
        Assert.Equal("./.mesh", result.Options.DataDir);
        Assert.Equal(StoreKind.Sqlite, result.Options.Store);
        Assert.Equal(LogLevel.Information, result.Options.LogLevel);
    }

    [Fact]
    public void Parse_FlagsAndEnvironment_FlagsWin()
    {
        var environment = new Dictionary<string, string?>
        {
            ["MESH_GRPC_PORT"] = "1000",
            ["MESH_HTTP_PORT"] = "2000",
            ["MESH_DATA_DIR"] = "/env",
            ["MESH_LOG_LEVEL"] = "debug",
        };

        var result = SiloCommandLine.Parse(["--grpc-port", "0", "--data-dir=/flag", "--listen-address", "0.0.0.0"], environment);

        Assert.Empty(result.Errors);
        Assert.Equal(0, result.Options.GrpcPort);
        Assert.Equal(2000, result.Options.HttpPort);
        Assert.Equal("/flag", result.Options.DataDir);
        Assert.Equal("0.0.0.0", result.Options.ListenAddress);
        Assert.Equal(LogLevel.Debug, result.Options.LogLevel);
    }

    [Fact]
    public void Parse_BadValues_EveryOneReported()
    {
        var environment = new Dictionary<string, string?> { ["MESH_HTTP_PORT"] = "http" };

        var result = SiloCommandLine.Parse(["--grpc-port", "abc", "--store", "mysql", "--log-level", "loud", "--bogus", "--data-dir"], environment);

        Assert.Equal(6, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Contains("--grpc-port (MESH_GRPC_PORT)") && e.Contains("'abc' is not a port number"));
        Assert.Contains(result.Errors, e => e.Contains("--http-port (MESH_HTTP_PORT)") && e.Contains("MESH_HTTP_PORT='http'"));
        Assert.Contains(result.Errors, e => e.Contains("--store (MESH_STORE)") && e.Contains("'mysql'"));
        Assert.Contains(result.Errors, e => e.Contains("--log-level (MESH_LOG_LEVEL)") && e.Contains("'loud'"));
        Assert.Contains(result.Errors, e => e.Contains("unknown argument '--bogus'"));
        Assert.Contains(result.Errors, e => e.Contains("--data-dir (MESH_DATA_DIR) needs a value"));
    }

    [Fact]
    public async Task RunAsync_TtlNotLongerThanHeartbeat_RefusedNamingBothFlags()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var parsed = SiloCommandLine.Parse(["--heartbeat-interval", "500ms", "--endpoint-ttl=2s"], NoEnvironment);
        var code = await SiloHost.RunAsync(["--heartbeat-interval", "5s", "--endpoint-ttl", "5s", "--grpc-port", "0", "--http-port", "0"], NoEnvironment, output, error, CancellationToken.None).Within("run");
        var bad = SiloCommandLine.Parse(["--endpoint-ttl", "soon"], NoEnvironment);

        Assert.Empty(parsed.Errors);
        Assert.Equal(TimeSpan.FromMilliseconds(500), parsed.Options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), parsed.Options.EndpointTtl);
        Assert.Equal(2, code);
        Assert.Contains("--endpoint-ttl (MESH_ENDPOINT_TTL) 5s must be longer than --heartbeat-interval (MESH_HEARTBEAT_INTERVAL) 5s", error.ToString());
        Assert.StartsWith("--endpoint-ttl (MESH_ENDPOINT_TTL): --endpoint-ttl 'soon' is not a", Assert.Single(bad.Errors));
    }

    [Fact]
    public async Task RunAsync_BadFlags_ExitCode2ListingEveryProblemWithoutStackTrace()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SiloHost.RunAsync(["--grpc-port", "abc", "--http-port", "99999", "--listen-address", "nowhere", "--store", "postgres"], NoEnvironment, output, error, CancellationToken.None).Within("run");

        Assert.Equal(2, code);
        var text = error.ToString();
        Assert.Contains("--grpc-port (MESH_GRPC_PORT)", text);
        Assert.Contains("--http-port (MESH_HTTP_PORT): --http-port '99999' is not a port number; use 0-65535", text);
        Assert.Contains("--listen-address (MESH_LISTEN_ADDRESS): 'nowhere' is not an IP address", text);
        Assert.Contains("--store (MESH_STORE): the PostgreSQL store arrives in a later version", text);
        Assert.DoesNotContain(" at ", text);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public async Task RunAsync_StorePostgresFromEnvironment_RefusedClearly()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SiloHost.RunAsync([], new Dictionary<string, string?> { ["MESH_STORE"] = "postgres" }, output, error, CancellationToken.None).Within("run");

        Assert.Equal(2, code);
        Assert.Contains("the PostgreSQL store arrives in a later version of Runtime mesh; use --store sqlite", error.ToString());
    }

    [Fact]
    public async Task RunAsync_Help_PrintsEveryFlagAndVariable()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SiloHost.RunAsync(["--help"], NoEnvironment, output, error, CancellationToken.None).Within("run");

        Assert.Equal(0, code);
        foreach (var name in new[] { "--grpc-port", "MESH_GRPC_PORT", "--http-port", "MESH_HTTP_PORT", "--listen-address", "MESH_LISTEN_ADDRESS", "--data-dir", "MESH_DATA_DIR", "--store", "MESH_STORE", "--log-level", "MESH_LOG_LEVEL", "--help" })
        {
            Assert.Contains(name, output.ToString());
        }
    }

    [Fact]
    public async Task RunAsync_PortZeroUntilCancelled_StartsAndStops()
    {
        using var directory = new TempDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var cts = new CancellationTokenSource();
        var dataDir = Path.Combine(directory.Path, "d");
        var run = SiloHost.RunAsync(["--grpc-port", "0", "--http-port", "0", "--data-dir", dataDir, "--log-level", "none"], NoEnvironment, output, error, cts.Token);
        var portsFile = Path.Combine(dataDir, "silo.ports.json");
        using (var watcher = new FileSystemWatcher())
        {
            // Barrier: wait for the ports file rather than sleeping.
            Directory.CreateDirectory(dataDir);
            var appeared = new TaskCompletionSource();
            watcher.Path = dataDir;
            watcher.Filter = "silo.ports.json";
            watcher.Created += (_, _) => appeared.TrySetResult();
            watcher.Renamed += (_, _) => appeared.TrySetResult();
            watcher.EnableRaisingEvents = true;
            if (!File.Exists(portsFile))
            {
                await Task.WhenAny(appeared.Task, run).Within("ports file");
            }
        }

        Assert.True(File.Exists(portsFile), error.ToString());
        await cts.CancelAsync();

        Assert.Equal(0, await run.Within("silo stop"));
        Assert.False(File.Exists(portsFile));
    }
}
