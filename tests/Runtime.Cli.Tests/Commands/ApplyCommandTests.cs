using Runtime.Cli.Tests.Testing;

namespace Runtime.Cli.Tests.Commands;

public sealed class ApplyCommandTests
{
    [Fact]
    public async Task Apply_NewThenSameThenChanged_PrintsCreatedUnchangedConfigured()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var file = TempManifest.Write(SampleManifests.Reviews);

        var created = await plane.RunAsync("apply", "-f", file.Path);
        var unchanged = await plane.RunAsync("apply", "-f", file.Path);
        File.WriteAllText(file.Path, SampleManifests.Reviews.Replace("subset: v1", "subset: v2", StringComparison.Ordinal));
        var configured = await plane.RunAsync("apply", "-f", file.Path);

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(["virtualservice.networking.istio.io/reviews created", "destinationrule.networking.istio.io/reviews created"], created.OutputLines);
        Assert.Equal(["virtualservice.networking.istio.io/reviews unchanged", "destinationrule.networking.istio.io/reviews unchanged"], unchanged.OutputLines);
        Assert.Equal(["virtualservice.networking.istio.io/reviews configured", "destinationrule.networking.istio.io/reviews unchanged"], configured.OutputLines);
    }

    [Fact]
    public async Task Apply_InvalidDocument_ExitsOneListingEveryErrorAndStoresNothing()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunWithInputAsync(SampleManifests.Reviews + "\n---\n" + SampleManifests.Invalid, "apply", "-f", "-");
        var listed = await plane.RunAsync("get", "all", "-A");

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains(result.ErrorLines, l => l.StartsWith("error: -:", StringComparison.Ordinal) && l.Contains("spec.http[0].route[0].weight: weight -5 is negative", StringComparison.Ordinal));
        Assert.Contains(result.ErrorLines, l => l.Contains("spec.http[0].retries.attempts", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal("No resources found", listed.Error.Trim());
    }

    [Fact]
    public async Task Apply_ServerDryRun_ReportsOutcomeAndStoresNothing()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-", "--dry-run=server");
        var listed = await plane.RunAsync("get", "vs", "-n", "bookinfo");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("virtualservice.networking.istio.io/reviews created (server dry run)", result.OutputLines);
        Assert.Equal("No resources found in bookinfo namespace.", listed.Error.Trim());
    }

    [Fact]
    public async Task Apply_Directory_ReadsEveryManifestFile()
    {
        await using var plane = await ControlPlane.StartAsync();
        using var file = TempManifest.Write(SampleManifests.Reviews, "a.yaml");
        File.WriteAllText(Path.Combine(file.Directory, "notes.txt"), "not a manifest");

        var result = await plane.RunAsync("apply", "-f", file.Directory);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.OutputLines.Length);
    }

    [Fact]
    public async Task Apply_TenThousandResources_AppliesAndListsThemInOneRequestEach()
    {
        await using var plane = await ControlPlane.StartAsync();
        var manifest = string.Join("\n---\n", Enumerable.Range(0, 10_000).Select(i => $$"""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata:
              name: service-{{i}}
              namespace: bulk
              labels:
                app: service-{{i}}
                tier: bulk-test
            spec:
              hosts:
              - service-{{i}}.bulk.svc.cluster.local
              http:
              - name: jason-sees-the-canary
                match:
                - headers:
                    end-user:
                      exact: jason
                route:
                - destination:
                    host: service-{{i}}.bulk.svc.cluster.local
                    subset: v2
              - name: everyone-else
                route:
                - destination:
                    host: service-{{i}}.bulk.svc.cluster.local
                    subset: v1
                  weight: 90
                - destination:
                    host: service-{{i}}.bulk.svc.cluster.local
                    subset: v3
                  weight: 10
                timeout: 10s
            """));
        Assert.True(manifest.Length > 4 * 1024 * 1024, "the manifest must exceed gRPC's default 4 MiB message size");

        // This checks that a bulk apply fits in one request, not how fast it is: a loaded 2-core machine may need a while.
        var applied = await plane.RunWithInputAsync(manifest, "apply", "-f", "-", "--request-timeout", "5m");
        var listed = await plane.RunAsync("get", "vs", "-n", "bulk", "-o", "name", "--request-timeout", "5m");

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal(10_000, applied.OutputLines.Count(l => l.EndsWith(" created", StringComparison.Ordinal)));
        Assert.Equal(10_000, listed.OutputLines.Length);
    }

    [Fact]
    public async Task Apply_MissingFile_NamesTheFile()
    {
        var result = await Meshctl.RunAsync("http://127.0.0.1:1", null, "apply", "-f", "/nonexistent/reviews.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: cannot read '/nonexistent/reviews.yaml': no such file or directory", result.Error.Trim());
    }

    [Fact]
    public async Task Apply_UnreachableServer_PrintsOneClearLine()
    {
        var result = await Meshctl.RunAsync("http://127.0.0.1:1", SampleManifests.Reviews, "apply", "-f", "-");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: cannot reach http://127.0.0.1:1", line, StringComparison.Ordinal);
        Assert.Contains("MESH_SERVER", line, StringComparison.Ordinal);
    }
}
