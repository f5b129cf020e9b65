using Runtime.Cli.Tests.Testing;

namespace Runtime.Cli.Tests.Commands;

/// <summary><c>meshctl ca rotate</c> and the rotation part of <c>meshctl ca status</c> against a real control plane.</summary>
public sealed class CaRotateCommandTests
{
    [Fact]
    public async Task CaRotate_NoProxies_RunsEveryStepAndEndsWithOneNewRoot()
    {
        await using var plane = await ControlPlane.StartAsync();
        var before = RootSha(await plane.RunAsync("ca", "status"));

        var rotated = await plane.RunAsync("ca", "rotate", "--timeout", "30s");

        Assert.Equal(0, rotated.ExitCode);
        Assert.Contains("CA generation 1, phase STABLE; running prepare, then switch, then finish", rotated.OutputLines);
        Assert.Contains(rotated.OutputLines, l => l.StartsWith("prepare: done; generation 2, phase PREPARED, 2 roots trusted", StringComparison.Ordinal));
        Assert.Contains(rotated.OutputLines, l => l.StartsWith("switch: done; generation 3, phase SWITCHED, 2 roots trusted", StringComparison.Ordinal));
        Assert.Contains(rotated.OutputLines, l => l.StartsWith("finish: done; generation 4, phase STABLE, 1 root trusted", StringComparison.Ordinal));
        var status = await plane.RunAsync("ca", "status");
        var after = RootSha(status);
        Assert.NotEqual(before, after);
        Assert.Contains("Rotation phase:       STABLE (next step: prepare)", status.OutputLines);
        Assert.Contains("Generation:           4", status.OutputLines);
        Assert.Contains("Trust bundle:         1 root", status.OutputLines);
        Assert.Contains(status.OutputLines, l => l.StartsWith($"* signing  {after}  O=cluster.local, OU=rotation generation 2, CN=Runtime mesh root CA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CaRotate_StepPrepare_StatusShowsBothRootsWithTheOldOneSigning()
    {
        await using var plane = await ControlPlane.StartAsync();
        var before = RootSha(await plane.RunAsync("ca", "status"));

        var prepared = await plane.RunAsync("ca", "rotate", "--step", "prepare");

        Assert.Equal(0, prepared.ExitCode);
        var status = await plane.RunAsync("ca", "status");
        Assert.Contains("Rotation phase:       PREPARED (next step: switch)", status.OutputLines);
        Assert.Contains("Trust bundle:         2 roots", status.OutputLines);
        Assert.Contains(status.OutputLines, l => l.StartsWith($"* signing  {before}", StringComparison.Ordinal));
        Assert.Single(status.OutputLines, l => l.StartsWith("trusted  ", StringComparison.Ordinal));
        Assert.Contains("Proxies:              0 reporting a certificate; 0 trust generation 2; 0 hold a leaf of the signing root", status.OutputLines);
    }

    [Fact]
    public async Task CaRotate_StepOutOfOrder_FailsNamingThePhaseAndTheNextStep()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunAsync("ca", "rotate", "--step", "finish");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error from server (FailedPrecondition)", result.Error, StringComparison.Ordinal);
        Assert.Contains("the root rotation is STABLE (one root); the next step is PREPARE (meshctl ca rotate --step prepare)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaRotate_UnknownStep_IsAUsageError()
    {
        var result = await Meshctl.RunAsync("", null, "ca", "rotate", "--step", "later");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("later", result.Error, StringComparison.Ordinal);
    }

    private static string RootSha(MeshctlResult status) =>
        status.OutputLines.Single(l => l.StartsWith("Root SHA-256:", StringComparison.Ordinal))["Root SHA-256:".Length..].Trim();
}
