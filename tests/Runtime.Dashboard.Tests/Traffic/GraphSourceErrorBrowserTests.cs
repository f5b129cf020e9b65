using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Runtime.Silo.Hosting;

namespace Runtime.Dashboard.Tests.Traffic;

/// <summary>
/// A silo whose <c>--prometheus-url</c> answers nothing: the graph view says, next to its source, that Prometheus is
/// unavailable, with the reason as the tooltip (in Debian's headless chromium, through Playwright).
/// </summary>
public sealed class GraphSourceErrorBrowserTests
{
    private const float Deadline = 30_000;

    [Fact]
    public async Task GraphMeta_PrometheusUnreachable_SaysSoWithTheReasonAsTooltip()
    {
        var directory = Directory.CreateTempSubdirectory("dashboard-promsilo-");
        try
        {
            var url = $"http://127.0.0.1:{ClosedPort()}/";
            await using var silo = await SiloHost.StartAsync(
                new SiloOptions { GrpcPort = 0, HttpPort = 0, DataDir = directory.FullName, PrometheusUrl = url, LogLevel = Microsoft.Extensions.Logging.LogLevel.Error },
                CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(Deadline);

            await page.GotoAsync(new Uri(silo.HttpAddress, "/dashboard/").ToString());
            var meta = page.GetByTestId("graph-meta");

            await Assertions.Expect(meta).ToContainTextAsync("data from sidecars (Prometheus unavailable)", new() { Timeout = Deadline });
            Assert.StartsWith($"prometheus at {url}: ", await meta.GetAttributeAsync("title"), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A loopback port nothing listens on: bound on port 0, then released.</summary>
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
