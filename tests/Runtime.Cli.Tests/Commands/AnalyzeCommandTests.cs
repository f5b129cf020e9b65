using System.Text.Json;
using Runtime.Cli.Tests.Testing;
using static Runtime.Cli.Tests.Testing.FakeSidecar;

namespace Runtime.Cli.Tests.Commands;

public sealed class AnalyzeCommandTests
{
    private const string Broken = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination:
                host: reviews
                subset: v2
          - match:
            - uri: {prefix: /api}
            route:
            - destination:
                host: reviews
                subset: v1
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          host: reviews
          subsets:
          - name: v1
            labels: {version: v1}
        """;

    [Fact]
    public async Task Analyze_CleanFileOffline_CheckMarkExit0AndNoteOnUncheckedHosts()
    {
        using var file = TempManifest.Write(SampleManifests.Reviews);

        var result = await Meshctl.RunAsync("", null, "analyze", "-f", file.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Output);
        Assert.Equal("\u2714 No validation issues found when analyzing 2 resources from 1 file.", result.ErrorLines[0]);
        Assert.StartsWith("note: 1 cluster-local host was not checked against the service registry (reviews.bookinfo.svc.cluster.local)", result.ErrorLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_BrokenFileOffline_IstioctlStyleLinesSummaryAndExit1()
    {
        using var file = TempManifest.Write(Broken, "bad.yaml");

        var result = await Meshctl.RunAsync("", null, "analyze", "-f", file.Directory);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(2, result.OutputLines.Length);
        Assert.StartsWith($"Error [MSH0201] (VirtualService bookinfo/reviews {file.Path}:12) spec.http[0].route[0].destination.subset: subset \"v2\"", result.OutputLines[0], StringComparison.Ordinal);
        Assert.Contains(" (fix: add subset \"v2\"", result.OutputLines[0], StringComparison.Ordinal);
        Assert.StartsWith($"Warning [MSH0301] (VirtualService bookinfo/reviews {file.Path}:13) spec.http[1]: this rule is never used", result.OutputLines[1], StringComparison.Ordinal);
        Assert.Equal("1 error, 1 warning found when analyzing 2 resources from 1 file.", result.ErrorLines[0]);
    }

    [Fact]
    public async Task Analyze_WarningsOnly_Exit0UnlessTheThresholdIsWarning()
    {
        var warningOnly = Broken.Replace("subset: v2", "subset: v1", StringComparison.Ordinal);

        var relaxed = await Meshctl.RunAsync("", warningOnly, "analyze", "-f", "-");
        var strict = await Meshctl.RunAsync("", warningOnly, "analyze", "-f", "-", "--failure-threshold", "Warning");

        Assert.True(relaxed.ExitCode == 0, relaxed.ToString());
        Assert.StartsWith("Warning [MSH0301] (VirtualService bookinfo/reviews -:13) spec.http[1]", Assert.Single(relaxed.OutputLines), StringComparison.Ordinal);
        Assert.True(strict.ExitCode == 1, strict.ToString());
    }

    [Fact]
    public async Task Analyze_JsonOutput_OneObjectPerFindingAndSummaryOnStderr()
    {
        var result = await Meshctl.RunAsync("", Broken, "analyze", "-f", "-", "-o", "json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(["MSH0201", "MSH0301"], json.RootElement.EnumerateArray().Select(f => f.GetProperty("code").GetString()));
        Assert.Equal(12, json.RootElement[0].GetProperty("line").GetInt32());
        Assert.Equal("-", json.RootElement[0].GetProperty("source").GetString());
        Assert.Contains("1 error, 1 warning found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_InvalidManifest_ValidationErrorsAndExit1WithoutAnalysis()
    {
        var result = await Meshctl.RunAsync("", SampleManifests.Invalid, "analyze", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("error: -:", StringComparison.Ordinal) && l.Contains("weight", StringComparison.Ordinal));
        Assert.Matches(@"^\d+ validation errors? found; fix them \(see meshctl validate\) before analyzing$", result.ErrorLines[^1]);
    }

    [Fact]
    public async Task Analyze_WithServerWithoutFiles_RefusedWithReason()
    {
        var result = await Meshctl.RunAsync("", null, "analyze", "--with-server");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: --with-server needs -f: without -f, analyze already uses the control plane", result.Error.Trim());
    }

    [Fact]
    public async Task Analyze_Online_UsesStoredConfigAndRegisteredEndpoints()
    {
        await using var plane = await ControlPlane.StartAsync();
        var applied = await plane.RunWithInputAsync(SampleManifests.Reviews.Replace("host: reviews\n        subset: v1", "host: ratings\n        subset: v1", StringComparison.Ordinal), "apply", "-f", "-");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        using var reviews = await RegisterAsync(plane.Server, "reviews", "bookinfo", "10.0.1.2", "reviews-v2-1", ("app", "reviews"), ("version", "v2"));
        await reviews.WaitForAsync(s => HasEndpoint(s, reviews.ProxyId) && HasResource(s, "DestinationRule", "reviews"), "its endpoint and the reviews rule");

        var result = await plane.RunAsync("analyze");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(3, result.OutputLines.Length);
        Assert.Contains(result.OutputLines, l => l.StartsWith("Error [MSH0101] (VirtualService bookinfo/reviews) spec.http[0].route[0].destination.host: host \"ratings\" (resolved to ratings.bookinfo.svc.cluster.local) matches no registered service", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("Error [MSH0201] (VirtualService bookinfo/reviews) spec.http[0].route[0].destination.subset: subset \"v1\" of host ratings.bookinfo.svc.cluster.local", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("Warning [MSH0202] (DestinationRule bookinfo/reviews) spec.subsets[0].labels: subset \"v1\" selects none of the 1 endpoint(s) of reviews.bookinfo.svc.cluster.local: no endpoint has version=v1 (they have version=v2)", StringComparison.Ordinal));
        Assert.Equal("2 errors, 1 warning found when analyzing 2 resources from the control plane (all namespaces).", result.ErrorLines[0]);

        var elsewhere = await plane.RunAsync("analyze", "-n", "other");
        Assert.True(elsewhere.ExitCode == 0, elsewhere.ToString());
        Assert.Equal("\u2714 No validation issues found when analyzing 2 resources from the control plane (namespace other).", elsewhere.Error.Trim());
    }

    [Fact]
    public async Task Analyze_FilesWithServer_CheckHostsAgainstTheLiveRegistry()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var reviews = await RegisterAsync(plane.Server, "reviews", "bookinfo", "10.0.1.1", "reviews-v1-1", ("app", "reviews"), ("version", "v1"));
        await reviews.WaitForAsync(s => HasEndpoint(s, reviews.ProxyId), "its own endpoint");
        var toRatings = SampleManifests.Reviews.Replace("host: reviews\n        subset: v1", "host: ratings", StringComparison.Ordinal);
        using var file = TempManifest.Write(toRatings);

        var offline = await Meshctl.RunAsync("", null, "analyze", "-f", file.Path);
        var live = await plane.RunAsync("analyze", "-f", file.Path, "--with-server");

        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.Contains("ratings.bookinfo.svc.cluster.local", offline.ErrorLines[^1], StringComparison.Ordinal);
        Assert.True(live.ExitCode == 1, live.ToString());
        Assert.StartsWith($"Error [MSH0101] (VirtualService bookinfo/reviews {file.Path}:", Assert.Single(live.OutputLines), StringComparison.Ordinal);
        Assert.Contains("from 1 file with the control plane's configuration", live.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_OnlineServerDown_ErrorNamesTheServer()
    {
        var result = await Meshctl.RunAsync("http://127.0.0.1:1", null, "analyze", "--request-timeout", "5s");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("127.0.0.1:1", result.Error, StringComparison.Ordinal);
    }
}
