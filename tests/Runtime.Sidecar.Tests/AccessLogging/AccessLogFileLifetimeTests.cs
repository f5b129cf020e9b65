using System.Net;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.AccessLogging;

/// <summary>
/// A log file opened because mesh config named it is closed (after its lines are flushed) once a push names another
/// file: the process holds no handle on it any more, and deleting it is final. Only productpage logs (reviews is
/// quiet).
/// </summary>
public sealed class AccessLogFileLifetimeTests : IDisposable
{
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("mesh-log-lifetime-");

    [Fact]
    public async Task MeshConfigFile_NoLongerNamed_IsFlushedAndClosed()
    {
        await using var harness = await MeshHarness.StartAsync();
        var first = Path.Combine(_logs.FullName, "first.log");
        var second = Path.Combine(_logs.FullName, "second.log");
        var app = await harness.StartAppAsync("reviews");
        await using var reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        await using var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);

        await harness.ApplyAsync("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: reviews-quiet, namespace: default}
            spec:
              selector:
                matchLabels:
                  app: reviews
              accessLogging:
              - disabled: true
            """);
        await harness.ApplyAsync(MeshConfig(first));
        await MeshHarness.WaitForConfigAsync(productpage, "first.log");
        await MeshHarness.WaitForConfigAsync(reviews, "reviews-quiet");
        await CallAsync(productpage, "while-first");
        await Eventually.Async($"the client line of while-first in {first}", () => Task.FromResult(Read(first).Contains("\"while-first\"", StringComparison.Ordinal)));
        Assert.NotEmpty(Handles(first));

        await harness.ApplyAsync(MeshConfig(second));
        await MeshHarness.WaitForConfigAsync(productpage, "second.log");
        await Eventually.Async($"no handle left on {first}; open: {string.Join(", ", Handles(first))}", () => Task.FromResult(Handles(first).Count == 0));

        File.Delete(first);
        await CallAsync(productpage, "while-second");
        await Eventually.Async($"the client line of while-second in {second}", () => Task.FromResult(Read(second).Contains("\"while-second\"", StringComparison.Ordinal)));
        Assert.False(File.Exists(first), $"{first} was recreated after config stopped naming it");
    }

    [Fact]
    public async Task MeshConfigFile_CannotBeOpened_RequestsSucceedAndLinesGoToTheSidecarsOwnLog()
    {
        await using var harness = await MeshHarness.StartAsync();
        var own = Path.Combine(_logs.FullName, "own.log");
        var unopenable = Path.Combine(_logs.FullName, "no-such-dir", "access.log");
        var app = await harness.StartAppAsync("reviews");
        await using var reviews = await harness.StartSidecarAsync("reviews", app, labels: ["app=reviews"]);
        harness.ConfigureSidecar = options => options.AccessLogPath = own;
        await using var productpage = await harness.StartSidecarAsync("productpage", null, labels: ["app=productpage"]);
        await MeshHarness.WaitForEndpointsAsync(productpage, "reviews.default.svc.cluster.local", 1);

        await harness.ApplyAsync(MeshConfig(unopenable));
        await MeshHarness.WaitForConfigAsync(productpage, "no-such-dir");
        await CallAsync(productpage, "unopenable-1");
        await CallAsync(productpage, "unopenable-2");

        // The lines are not lost: the sidecar's own log takes them, and no directory was made for the bad path.
        await Eventually.Async($"both client lines in {own}", () => Task.FromResult(
            Read(own).Contains("\"unopenable-1\"", StringComparison.Ordinal) && Read(own).Contains("\"unopenable-2\"", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(Path.GetDirectoryName(unopenable)));
    }

    public void Dispose() => _logs.Delete(recursive: true);

    private static string MeshConfig(string file) => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |-
            accessLogFile: {{file}}
        """;

    // The file descriptors of this process (sidecars run in it) that point at the file: Linux's /proc view.
    private static List<string> Handles(string path)
    {
        Assert.True(OperatingSystem.IsLinux(), "these lifetime checks read /proc/self/fd");
        var open = new List<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(path, StringComparison.Ordinal))
                {
                    open.Add(fd);
                }
            }
            catch (IOException)
            {
                // Closed while listing.
            }
        }

        return open;
    }

    private static async Task CallAsync(RunningSidecar client, string requestId)
    {
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(client.OutboundAddress, "/hello"));
        request.Headers.Host = "reviews";
        request.Headers.Add("x-request-id", requestId);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Read(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
