using System.Net;
using System.Text.Json;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tests.Testing;

namespace Runtime.Sidecar.Tests.Hosting;

public sealed class SidecarHostTests
{
    [Fact]
    public async Task Start_FirstControlPlaneDown_ConnectsToTheNextReplica()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var options = new SidecarOptions { Service = "client", InboundPort = 0, OutboundPort = 0, AdminPort = 0, DataDir = Directory.CreateTempSubdirectory("sidecar-host-").FullName };
        options.ControlPlanes.Add(new Uri("http://127.0.0.1:1"));
        options.ControlPlanes.Add(mesh.ControlPlane);

        await using var sidecar = await SidecarHost.StartAsync(options, CancellationToken.None);

        await sidecar.Ready.WaitAsync(TestTimeouts.Default);
        Directory.Delete(options.DataDir, recursive: true);
    }

    [Fact]
    public async Task Admin_ReadyConfigDumpLoggingAndQuit_BehaveLikeEnvoysAdmin()
    {
        await using var mesh = await MeshHarness.StartAsync();
        var sidecar = await mesh.StartSidecarAsync("client", null);
        await sidecar.Ready.WaitAsync(TestTimeouts.Default);
        using var http = new HttpClient { BaseAddress = sidecar.AdminAddress, Timeout = TestTimeouts.Default };

        var ready = await http.GetStringAsync("/ready");
        using var dump = JsonDocument.Parse(await http.GetStringAsync("/config_dump"));
        using var badLevel = await http.PostAsync("/logging?level=loud", null);
        using var goodLevel = await http.PostAsync("/logging?level=debug", null);
        using var unknown = await http.GetAsync("/nope");
        using var quit = await http.PostAsync("/quitquitquit", null);
        await sidecar.WaitForShutdownAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);

        Assert.StartsWith("LIVE version ", ready, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(dump.RootElement.GetProperty("version").GetString()));
        Assert.Equal(JsonValueKind.Array, dump.RootElement.GetProperty("services").ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, badLevel.StatusCode);
        Assert.Equal("level: debug", (await goodLevel.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.OK, quit.StatusCode);
    }

    [Fact]
    public async Task Run_BadFlags_ExitCode2ListingEveryProblem()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await SidecarHost.RunAsync(["--inbound-port", "70000", "--label", "novalue", "--namespace", "Bad_NS"], new Dictionary<string, string?>(), output, error, CancellationToken.None);

        Assert.Equal(2, code);
        var text = error.ToString();
        Assert.Contains("--inbound-port (MESH_INBOUND_PORT)", text, StringComparison.Ordinal);
        Assert.Contains("--label (MESH_LABELS)", text, StringComparison.Ordinal);
        Assert.Contains("--service (MESH_SERVICE) is required", text, StringComparison.Ordinal);
        Assert.Contains("--namespace (MESH_NAMESPACE) 'Bad_NS' is not a DNS label", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }
}
