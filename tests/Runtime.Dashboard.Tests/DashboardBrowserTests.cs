using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Runtime.Dashboard.Tests;

/// <summary>
/// The dashboard in Debian's headless chromium (driven by Playwright through its executablePath; no browser is
/// downloaded) against a live Bookinfo mesh. Screenshots land in TestResults/dashboard under the test output.
/// </summary>
public sealed partial class DashboardBrowserTests(BookinfoMesh mesh) : IClassFixture<BookinfoMesh>, IAsyncLifetime
{
    private static readonly float Deadline = 30_000;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IPage? _page;

    private IPage Page => _page!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        _page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
        _page.SetDefaultTimeout(Deadline);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task ProxiesView_ListsEveryProxySyncedWithCertificateExpiry()
    {
        await OpenAsync("#proxies");
        var rows = Page.GetByTestId("proxy-row");
        await Assertions.Expect(rows).ToHaveCountAsync(BookinfoMesh.ProxyCount, new() { Timeout = Deadline });
        await Assertions.Expect(Page.GetByTestId("proxy-state").Filter(new() { HasText = "SYNCED" })).ToHaveCountAsync(BookinfoMesh.ProxyCount, new() { Timeout = Deadline });
        var expiries = Page.GetByTestId("proxy-cert-expiry");
        await Assertions.Expect(expiries).ToHaveCountAsync(BookinfoMesh.ProxyCount, new() { Timeout = Deadline });
        foreach (var text in await expiries.AllInnerTextsAsync())
        {
            Assert.Matches(ExpiresIn(), text);
        }

        await ScreenshotAsync("proxies");
    }

    [Fact]
    public async Task ConfigView_ListsTheVirtualServiceAndDestinationRuleAppliedToAllProxies()
    {
        await OpenAsync("#config");
        var expected = $"applied to {BookinfoMesh.ProxyCount} of {BookinfoMesh.ProxyCount}";
        foreach (var resource in new[] { "VirtualService/default/reviews", "DestinationRule/default/reviews" })
        {
            var row = Page.Locator($"[data-testid=config-row][data-resource='{resource}']");
            await Assertions.Expect(row.GetByTestId("config-applied")).ToHaveTextAsync(expected, new() { Timeout = Deadline });
        }

        await ScreenshotAsync("config");
    }

    [Fact]
    public async Task Tabs_Keyboard_ArrowKeysSwitchViews()
    {
        await OpenAsync("");
        await Page.GetByTestId("tab-graph").FocusAsync();
        await Page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(Page.GetByTestId("tab-config")).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(Page.GetByTestId("view-config")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("tab-config")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("End");
        await Assertions.Expect(Page.GetByTestId("view-proxies")).ToBeVisibleAsync();
        await Page.Keyboard.PressAsync("Home");
        await Assertions.Expect(Page.GetByTestId("view-graph")).ToBeVisibleAsync();
        await Assertions.Expect(Page.GetByTestId("view-proxies")).ToBeHiddenAsync();
    }

    /// <summary>Needs <c>/api/dashboard/graph</c> (the traffic feature) per the dashboard contract.</summary>
    [Fact]
    public async Task Graph_LiveTraffic_ShowsNodesEdgesSplitAndNodePanel()
    {
        await OpenAsync("");
        foreach (var node in new[] { "default/productpage/v1", "default/reviews/v1", "default/reviews/v2", "default/ratings/v1" })
        {
            await Assertions.Expect(NodeLocator(node)).ToBeVisibleAsync(new() { Timeout = Deadline });
        }

        foreach (var edge in new[] { "default/productpage/v1->default/reviews/v1", "default/productpage/v1->default/reviews/v2", "default/reviews/v1->default/ratings/v1" })
        {
            await Assertions.Expect(Page.Locator($"[data-testid=graph-edge][data-edge-id='{edge}']")).ToHaveCountAsync(1, new() { Timeout = Deadline });
            await Assertions.Expect(EdgeLabel(edge)).ToContainTextAsync("rps", new() { Timeout = Deadline });
            await Assertions.Expect(EdgeLabel(edge).GetByTestId("edge-lock")).ToHaveCountAsync(1, new() { Timeout = Deadline });
        }

        // 90/10 canary: the split badges show on both reviews edges and add up to 100.
        var v1 = Split("default/productpage/v1->default/reviews/v1");
        var v2 = Split("default/productpage/v1->default/reviews/v2");
        await Assertions.Expect(v1).ToBeVisibleAsync(new() { Timeout = Deadline });
        await Assertions.Expect(v2).ToBeVisibleAsync(new() { Timeout = Deadline });
        var before = (Percent(await v1.TextContentAsync() ?? ""), Percent(await v2.TextContentAsync() ?? ""));
        Assert.InRange(before.Item1 + before.Item2, 99, 101);
        Assert.True(before.Item1 > before.Item2, $"reviews v1 should carry most traffic at 90/10, shown {before}");
        // The ratings edge has one destination version: no split.
        await Assertions.Expect(Split("default/reviews/v1->default/ratings/v1")).ToBeHiddenAsync();
        await ScreenshotAsync("graph");

        // The node panel lists the endpoints of the clicked version.
        await NodeLocator("default/reviews/v2").ClickAsync();
        var panel = Page.GetByTestId("node-panel");
        await Assertions.Expect(panel.GetByTestId("node-title")).ToHaveTextAsync("reviews v2");
        await Assertions.Expect(panel.GetByTestId("node-endpoint")).ToHaveCountAsync(1);
        await Assertions.Expect(panel.GetByTestId("node-endpoint")).ToContainTextAsync("HEALTHY");
        await Assertions.Expect(panel.GetByTestId("node-config-item").Filter(new() { HasText = "VirtualService" })).ToHaveCountAsync(1);
        await ScreenshotAsync("graph-node-panel");
        await Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(panel).ToBeHiddenAsync();

        // 50/50: once the window holds mostly new traffic, both badges approach 50%.
        await mesh.ApplyAsync(BookinfoMesh.ReviewsSplit5050);
        await PollAsync("split numbers near 50/50 after applying the 50/50 VirtualService", async () =>
        {
            var a = Percent(await v1.TextContentAsync() ?? "");
            var b = Percent(await v2.TextContentAsync() ?? "");
            return a is >= 35 and <= 65 && b is >= 35 and <= 65;
        });
        await ScreenshotAsync("graph-50-50");
    }

    [Fact]
    public async Task NodePanel_FromProxies_ShowsEndpoints()
    {
        // Independent of the graph endpoint: the node API behind the panel, through the page's own fetch.
        await OpenAsync("");
        var endpoints = await Page.EvaluateAsync<int>(
            "async () => (await (await fetch('/api/dashboard/node?namespace=default&service=reviews&version=v1')).json()).endpoints.length");
        Assert.Equal(1, endpoints);
    }

    private ILocator NodeLocator(string id) => Page.Locator($"[data-testid=graph-node][data-node-id='{id}']");

    private ILocator EdgeLabel(string id) => Page.Locator($"[data-testid=edge-label][data-edge-id='{id}']");

    private ILocator Split(string id) => Page.Locator($"[data-testid=edge-split][data-edge-id='{id}']");

    private static int Percent(string text) => int.Parse(text.Trim().TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);

    private async Task OpenAsync(string hash)
    {
        await Page.GotoAsync(new Uri(mesh.Http, "/dashboard/" + hash).ToString());
        await Assertions.Expect(Page.GetByTestId("last-updated")).Not.ToHaveTextAsync("connecting…", new() { Timeout = Deadline });
    }

    private async Task ScreenshotAsync(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard");
        Directory.CreateDirectory(directory);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(directory, name + ".png"), FullPage = true });
    }

    private static async Task PollAsync(string what, Func<Task<bool>> condition)
    {
        // The graph window is 30 s: give the new split two windows to dominate.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"waited 90 s for {what}");
    }

    [GeneratedRegex(@"^expires in \d+[dhms]")]
    private static partial Regex ExpiresIn();
}
