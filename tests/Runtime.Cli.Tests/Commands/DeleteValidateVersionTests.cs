using Runtime.Cli.Tests.Testing;

namespace Runtime.Cli.Tests.Commands;

public sealed class DeleteValidateVersionTests
{
    [Fact]
    public async Task Delete_ByFileThenByName_DeletesAndReportsMissing()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var file = TempManifest.Write(SampleManifests.Reviews);
        await plane.RunAsync("apply", "-f", file.Path);

        var byFile = await plane.RunAsync("delete", "-f", file.Path);
        var missing = await plane.RunAsync("delete", "vs", "reviews", "-n", "bookinfo");
        var ignored = await plane.RunAsync("delete", "vs", "reviews", "-n", "bookinfo", "--ignore-not-found");

        Assert.Equal(0, byFile.ExitCode);
        Assert.Equal(["virtualservice.networking.istio.io \"reviews\" deleted", "destinationrule.networking.istio.io \"reviews\" deleted"], byFile.OutputLines);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("(NotFound)", missing.Error, StringComparison.Ordinal);
        Assert.Equal(0, ignored.ExitCode);
    }

    [Fact]
    public async Task Delete_ManifestWithSpecErrors_StillDeletesByName()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");
        var broken = SampleManifests.Reviews.Replace("subset: v1\n", "subset: v1\n      weight: -3\n", StringComparison.Ordinal);

        var result = await plane.RunWithInputAsync(broken, "delete", "-f", "-");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("virtualservice.networking.istio.io \"reviews\" deleted", result.OutputLines);
    }

    [Fact]
    public async Task Apply_NamespaceFlagDiffersFromManifest_RefusesLikeKubectl()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-", "-n", "other");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the namespace from the provided object \"bookinfo\" does not match the namespace \"other\"", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Validate_InvalidFile_ListsErrorsOfflineAndExitsOne()
    {
        using var file = TempManifest.Write(SampleManifests.Invalid, "broken.yaml");

        var result = await Meshctl.RunAsync("http://127.0.0.1:1", null, "validate", "-f", file.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.StartsWith($"error: {file.Path}:11: VirtualService/default/broken spec.http[0].route[0].weight", StringComparison.Ordinal));
        Assert.Contains(result.ErrorLines, l => l.Contains("spec.http[0].retries.attempts", StringComparison.Ordinal));
        Assert.Equal("2 errors found; nothing would be applied", result.ErrorLines[^1]);
    }

    [Fact]
    public async Task Validate_ValidFile_PrintsEachResourceOffline()
    {
        var result = await Meshctl.RunAsync("http://127.0.0.1:1", SampleManifests.Reviews, "validate", "-f", "-");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["virtualservice.networking.istio.io/reviews valid", "destinationrule.networking.istio.io/reviews valid"], result.OutputLines);
    }

    [Fact]
    public async Task Version_WithServer_PrintsClientAndServer()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunAsync("version");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Client Version: ", result.OutputLines[0], StringComparison.Ordinal);
        Assert.StartsWith("Server Version: ", result.OutputLines[1], StringComparison.Ordinal);
        Assert.Contains("store sqlite", result.OutputLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_ClientOnly_NeedsNoServer()
    {
        var result = await Meshctl.RunAsync("http://127.0.0.1:1", null, "version", "--client");

        Assert.Equal(0, result.ExitCode);
        Assert.Single(result.OutputLines);
    }

    [Fact]
    public async Task Server_FromEnvironmentVariable_IsUsedWhenNoFlag()
    {
        await using var plane = await ControlPlane.StartAsync();
        var previous = Environment.GetEnvironmentVariable("MESH_SERVER");
        Environment.SetEnvironmentVariable("MESH_SERVER", plane.Server);
        try
        {
            var result = await Meshctl.RunAsync("", null, "version");
            Assert.Equal(0, result.ExitCode);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESH_SERVER", previous);
        }
    }
}
