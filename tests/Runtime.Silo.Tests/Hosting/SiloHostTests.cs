using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Silo.Hosting;
using Runtime.Silo.Store;
using Runtime.Silo.Tests.Testing;
using static Runtime.Silo.Tests.Testing.Resources;

namespace Runtime.Silo.Tests.Hosting;

public sealed partial class SiloHostTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static SiloOptions PortZero(TempDirectory directory) => new()
    {
        GrpcPort = 0,
        HttpPort = 0,
        DataDir = Path.Combine(directory.Path, "data"),
        LogLevel = LogLevel.Warning,
    };

    [Fact]
    public async Task StartAsync_PortZero_ServesHealthReadinessAndPortsFile()
    {
        using var directory = new TempDirectory();
        var silo = await SiloHost.StartAsync(PortZero(directory), None).Within("silo start");
        await using (silo)
        {
            using var http = new HttpClient { BaseAddress = silo.HttpAddress };

            var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative)).Within("/healthz");
            var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative)).Within("/readyz");

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.NotEqual(0, silo.GrpcAddress.Port);
            Assert.NotEqual(silo.GrpcAddress.Port, silo.HttpAddress.Port);
            using var ports = JsonDocument.Parse(await File.ReadAllTextAsync(silo.PortsFile));
            Assert.Equal(silo.GrpcAddress.Port, ports.RootElement.GetProperty("grpc").GetInt32());
            Assert.Equal(silo.HttpAddress.Port, ports.RootElement.GetProperty("http").GetInt32());
            Assert.Equal(Environment.ProcessId, ports.RootElement.GetProperty("pid").GetInt32());
            Assert.Same(silo.Store, silo.Services.GetRequiredService<IConfigStore>());
        }

        Assert.False(File.Exists(silo.PortsFile), "the ports file should be removed on clean shutdown");
        Assert.True(File.Exists(Path.Combine(directory.Path, "data", "mesh.db")));
    }

    [Fact]
    public async Task Readyz_WhenShuttingDown_503WithReason()
    {
        using var directory = new TempDirectory();
        await using var silo = await SiloHost.StartAsync(PortZero(directory), None).Within("silo start");
        using var http = new HttpClient { BaseAddress = silo.HttpAddress };

        silo.Services.GetRequiredService<SiloReadiness>().Stopping();
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative)).Within("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("not ready: shutting down\n", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartAsync_GrpcPort_IsHttp2OnlyAndServesNoHealthRoutes()
    {
        using var directory = new TempDirectory();
        await using var silo = await SiloHost.StartAsync(PortZero(directory), None).Within("silo start");
        using var client = new HttpClient();

        using var h2 = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.GrpcAddress, "/healthz"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var overH2c = await client.SendAsync(h2).Within("h2c request to the gRPC port");
        using var h1 = new HttpRequestMessage(HttpMethod.Get, new Uri(silo.GrpcAddress, "/healthz")) { Version = HttpVersion.Version11 };
        var overH1 = await client.SendAsync(h1).Within("HTTP/1.1 request to the gRPC port");

        Assert.Equal(HttpVersion.Version20, overH2c.Version);
        Assert.Equal(HttpStatusCode.NotFound, overH2c.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, overH1.StatusCode);
    }

    [Fact]
    public async Task Metrics_AfterApply_ParsesAndHasStoreSeries()
    {
        using var directory = new TempDirectory();
        await using var silo = await SiloHost.StartAsync(PortZero(directory), None).Within("silo start");
        await silo.Store.ApplyAsync([Make("a"), Make("b"), Make("x", kind: "DestinationRule")], false, None).Within("apply");
        await silo.Store.ApplyAsync([Make("a")], false, None).Within("apply");
        using var http = new HttpClient { BaseAddress = silo.HttpAddress };

        var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative)).Within("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var samples = new Dictionary<string, double>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(@"^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$", line);
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            samples[match.Groups["series"].Value] = double.Parse(match.Groups["value"].Value.Replace("+Inf", "Infinity"), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(2, samples["silo_store_resources{kind=\"VirtualService\"}"]);
        Assert.Equal(1, samples["silo_store_resources{kind=\"DestinationRule\"}"]);
        Assert.Equal(3, samples["silo_store_revision"]);
        Assert.Equal(3, samples["silo_store_applies_total{outcome=\"created\"}"]);
        Assert.Equal(1, samples["silo_store_applies_total{outcome=\"unchanged\"}"]);
        Assert.Equal(2, samples["silo_store_operation_duration_seconds_count{operation=\"apply\"}"]);
        Assert.Equal(2, samples["silo_store_operation_duration_seconds_bucket{operation=\"apply\",le=\"+Inf\"}"]);
        Assert.True(samples["silo_uptime_seconds"] >= 0);
        Assert.Contains("# TYPE silo_store_operation_duration_seconds histogram", text);
        Assert.Contains("# TYPE silo_store_applies_total counter", text);
    }

    [Fact]
    public async Task StopAsync_OpenWatch_CompletesWatchAndClosesStore()
    {
        using var directory = new TempDirectory();
        var silo = await SiloHost.StartAsync(PortZero(directory), None).Within("silo start");
        await using var watch = silo.Store.WatchAsync(null, null, 0, None).GetAsyncEnumerator();
        await watch.Next("bookmark");
        var pending = watch.MoveNextAsync().AsTask();

        await silo.DisposeAsync();

        Assert.False(await pending.Within("watch completion"));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => silo.Store.GetRevisionAsync(None));
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsWithEveryFailure()
    {
        var options = new SiloOptions { GrpcPort = 70000, HttpPort = -1, ListenAddress = "not-an-ip", DataDir = "", Store = StoreKind.Postgres };

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => SiloHost.StartAsync(options, None)).Within("start");

        Assert.Equal(5, ex.Failures.Count());
        Assert.Contains(ex.Failures, f => f.StartsWith("--grpc-port (MESH_GRPC_PORT)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("--http-port (MESH_HTTP_PORT)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("--listen-address (MESH_LISTEN_ADDRESS)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("--data-dir (MESH_DATA_DIR)", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("PostgreSQL store arrives in a later version", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_PortInUse_FailsAndReleasesTheStore()
    {
        using var directory = new TempDirectory();
        await using var first = await SiloHost.StartAsync(PortZero(directory), None).Within("first silo");
        using var other = new TempDirectory();
        var clash = PortZero(other);
        clash.HttpPort = first.HttpAddress.Port;

        await Assert.ThrowsAnyAsync<IOException>(() => SiloHost.StartAsync(clash, None)).Within("clashing start");

        Assert.False(File.Exists(Path.Combine(other.Path, "data", "silo.ports.json")));
    }

    [GeneratedRegex("""^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})?) (?<value>\S+)$""")]
    private static partial Regex SampleLine();
}
