using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Runtime.Abstractions.Telemetry;
using Runtime.Silo.Hosting;
using Runtime.Silo.Tests.Api;
using Runtime.Silo.Tests.Discovery;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Traffic;

/// <summary>
/// A real silo configured with a Prometheus that cannot answer serves the sidecars' graph instead, with a 200 and a
/// <c>sourceError</c> naming the URL and the reason.
/// </summary>
public sealed class PrometheusFallbackTests
{
    [Fact]
    public async Task Graph_PrometheusUnreachable_SidecarDataWithSourceError()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}/";

        var graph = await GraphWithReportAsync(url);

        Assert.Equal("sidecars", graph.GetProperty("source").GetString());
        Assert.StartsWith($"prometheus at {url}: ", graph.GetProperty("sourceError").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, Assert.Single(graph.GetProperty("edges").EnumerateArray()).GetProperty("requests").GetInt64());
    }

    [Fact]
    public async Task Graph_UrlAnswersButIsNotPrometheus_SidecarDataWithTheAnswerInSourceError()
    {
        // Another real HTTP server (a second silo's HTTP port) that has no /api/v1/query.
        await using var other = await DiscoveryFixture.StartAsync();
        var url = other.Silo.HttpAddress.AbsoluteUri;

        var graph = await GraphWithReportAsync(url);

        Assert.Equal("sidecars", graph.GetProperty("source").GetString());
        Assert.StartsWith($"prometheus at {url}: HTTP 404", graph.GetProperty("sourceError").GetString(), StringComparison.Ordinal);
        Assert.Single(graph.GetProperty("edges").EnumerateArray());
    }

    /// <summary>Starts a silo with <c>--prometheus-url</c> <paramref name="url"/>, reports 6 requests from a sidecar, reads the graph.</summary>
    private static async Task<JsonElement> GraphWithReportAsync(string url)
    {
        using var directory = new TempDirectory();
        var options = new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = directory.Path, PrometheusUrl = url, LogLevel = Microsoft.Extensions.Logging.LogLevel.Error };
        await using var silo = await SiloHost.StartAsync(options, CancellationToken.None).Within("the control plane to start");
        using var sidecar = await FakeSidecar.RegisterAsync(silo.GrpcAddress, "productpage", "default", "10.0.0.1", "productpage-1", new() { ["version"] = "v1" });
        using var grpc = new Runtime.Grpc.Client.GrpcClient(silo.GrpcAddress);
        var now = DateTimeOffset.UtcNow;
        var edge = new V1.EdgeTraffic
        {
            Reporter = "source", SourceWorkload = "productpage", SourceNamespace = "default", SourceVersion = "v1", SourcePrincipal = "unknown",
            DestinationService = "reviews.default.svc.cluster.local", DestinationServiceName = "reviews", DestinationNamespace = "default",
            DestinationWorkload = "reviews", DestinationVersion = "v1", Protocol = "http", Requests = 6,
        };
        edge.DurationBuckets.Add(new long[IstioBuckets.Bounds.Count + 1]);
        edge.DurationBuckets[2] = 6;
        edge.ResponseCodes[200] = 6;
        var report = new V1.TrafficReport { WindowStart = Timestamp.FromDateTimeOffset(now.AddSeconds(-5)), WindowEnd = Timestamp.FromDateTimeOffset(now), Edges = { edge } };
        await grpc.CallAsync("DiscoveryService/Heartbeat", new V1.HeartbeatRequest { ProxyId = sidecar.ProxyId, Traffic = report }, V1.HeartbeatResponse.Parser).Within("Heartbeat");

        using var http = new HttpClient { BaseAddress = silo.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri("/api/dashboard/graph?window=60", UriKind.Relative)).Within("graph");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A loopback port nothing listens on: bound on port 0, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
