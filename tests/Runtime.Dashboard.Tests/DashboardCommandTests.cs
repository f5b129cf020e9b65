using Runtime.Cli;
using Runtime.Cli.Commands;

namespace Runtime.Dashboard.Tests;

/// <summary><c>meshctl dashboard</c> against a real control plane.</summary>
public sealed class DashboardCommandTests(BookinfoMesh mesh) : IClassFixture<BookinfoMesh>
{
    [Fact]
    public async Task Dashboard_NoBrowser_PrintsTheUrlTheServerReportsAndItServesTheUi()
    {
        var (code, output, error) = await RunAsync("--server", mesh.Mesh.ControlPlane.ToString(), "dashboard", "--no-browser");
        Assert.True(code == 0, error);
        var url = new Uri($"{mesh.Http.GetLeftPart(UriPartial.Authority)}/dashboard/");
        Assert.Equal($"Dashboard: {url}", output.Trim());

        using var http = new HttpClient();
        var html = await http.GetStringAsync(url);
        Assert.Contains("Runtime mesh dashboard", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_Address_OverridesTheServerAndSkipsTheCall()
    {
        // No control plane answers on the --server given: --address alone is enough.
        var (code, output, error) = await RunAsync("--server", "http://127.0.0.1:1", "dashboard", "--no-browser", "--address", "10.1.2.3:15014");
        Assert.True(code == 0, error);
        Assert.Equal("Dashboard: http://10.1.2.3:15014/dashboard/", output.Trim());
    }

    [Theory]
    [InlineData("ftp://host:1")]
    [InlineData("http://")]
    public async Task Dashboard_BadAddress_ErrorNamesTheFlag(string address)
    {
        var (code, _, error) = await RunAsync("dashboard", "--no-browser", "--address", address);
        Assert.NotEqual(0, code);
        Assert.Contains($"--address '{address}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reachable_ListenerOnEveryInterface_UsesTheServerHost()
    {
        Assert.Equal(new Uri("http://mesh.example:15014/"), DashboardCommand.Reachable(new Uri("http://0.0.0.0:15014"), new Uri("http://mesh.example:15012")));
        Assert.Equal(new Uri("http://10.0.0.5:15014/"), DashboardCommand.Reachable(new Uri("http://10.0.0.5:15014"), new Uri("http://mesh.example:15012")));
    }

    [Fact]
    public void Opener_NoDisplay_OpensNothingAndSaysWhy()
    {
        if (OperatingSystem.IsMacOS())
        {
            Assert.Equal("open", BrowserLauncher.Opener(_ => null, out _));
            return;
        }

        Assert.Null(BrowserLauncher.Opener(_ => null, out var reason));
        Assert.Contains("no display", reason, StringComparison.Ordinal);
        Assert.Equal("xdg-open", BrowserLauncher.Opener(name => name == "WAYLAND_DISPLAY" ? "wayland-0" : null, out _));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MeshctlApp.RunAsync(args, new CliConsole(output, error, TextReader.Null), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        return (code, output.ToString(), error.ToString());
    }
}
