using Runtime.Abstractions.Resources;
using Runtime.Cli.Tests.Testing;

namespace Runtime.Cli.Tests.Commands;

public sealed class GetCommandTests
{
    [Fact]
    public async Task Get_Kind_PrintsTableWithKindColumns()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");

        var result = await plane.RunAsync("get", "vs", "-n", "bookinfo");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^NAME\s+GATEWAYS\s+HOSTS\s+APPLIED\s+AGE$", result.OutputLines[0]);
        Assert.Matches(@"^reviews\s+\[reviews\]\s+0/0\s+\d+s$", result.OutputLines[1]);
    }

    [Fact]
    public async Task Get_AllNamespacesAllKinds_PrintsOneTablePerKindWithQualifiedNames()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");

        var result = await plane.RunAsync("get", "all", "-A");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.OutputLines, l => l.StartsWith("bookinfo", StringComparison.Ordinal) && l.Contains("destinationrule.networking.istio.io/reviews", StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("bookinfo", StringComparison.Ordinal) && l.Contains("virtualservice.networking.istio.io/reviews", StringComparison.Ordinal));
        Assert.Equal(2, result.OutputLines.Count(l => l.StartsWith("NAMESPACE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_OutputYaml_ReadsBackAsTheAppliedSpec()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");
        var applied = ManifestReader.Read(SampleManifests.Reviews, "applied").Resources.Single(r => r.Kind == "VirtualService");

        var yaml = await plane.RunAsync("get", "virtualservices", "reviews", "-n", "bookinfo", "-o", "yaml");
        var json = await plane.RunAsync("get", "vs", "reviews", "-n", "bookinfo", "-o", "json");

        foreach (var output in new[] { yaml, json })
        {
            Assert.Equal(0, output.ExitCode);
            var read = ManifestReader.Read(output.Output, "output");
            Assert.False(read.HasErrors, string.Join("\n", read.Issues));
            var listed = Assert.Single(read.Resources);
            Assert.True(System.Text.Json.JsonElement.DeepEquals(applied.Spec, listed.Spec), output.Output);
            Assert.True(listed.Metadata.ResourceVersion > 0);
        }
    }

    [Fact]
    public async Task Get_LabelSelectorAndNameOutput_PrintsMatchingNames()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");

        var matching = await plane.RunAsync("get", "all", "-A", "-l", "app=reviews", "-o", "name");

        Assert.Equal(["virtualservice.networking.istio.io/reviews"], matching.OutputLines);
    }

    [Fact]
    public async Task Get_MissingResource_PrintsNotFoundAndExitsOne()
    {
        await using var plane = await ControlPlane.StartAsync();

        var result = await plane.RunAsync("get", "dr", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error from server (NotFound): destinationrules.networking.istio.io \"nope\" not found in namespace \"default\"", result.Error.Trim());
    }

    [Fact]
    public async Task Get_SeveralNamesOneMissing_PrintsFoundAndReportsMissing()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");

        var result = await plane.RunAsync("get", "vs", "nope", "reviews", "-n", "bookinfo", "-o", "name");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["virtualservice.networking.istio.io/reviews"], result.OutputLines);
        Assert.Contains("\"nope\" not found", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownKind_ListsKnownKinds()
    {
        var result = await Meshctl.RunAsync("http://127.0.0.1:1", null, "get", "virtualservise");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("doesn't have a resource type \"virtualservise\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("virtualservice (vs)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Watch_PrintsChangesAfterTheListing()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");
        var output = new LineSignal("MODIFIED");
        using var stop = new CancellationTokenSource(Meshctl.Timeout);
        var watch = MeshctlApp.RunAsync(["get", "vs", "-n", "bookinfo", "-w", "--server", plane.Server], new CliConsole(output, TextWriter.Null, TextReader.Null), stop.Token);

        await output.Listed.WaitAsync(Meshctl.Timeout);
        await plane.RunWithInputAsync(SampleManifests.Reviews.Replace("subset: v1", "subset: v2", StringComparison.Ordinal), "apply", "-f", "-");
        await output.Seen.WaitAsync(Meshctl.Timeout);
        await stop.CancelAsync();
        var exit = await watch.WaitAsync(Meshctl.Timeout);

        Assert.Contains(output.Lines, l => l.StartsWith("MODIFIED", StringComparison.Ordinal) && l.Contains("virtualservice.networking.istio.io/reviews", StringComparison.Ordinal));
        Assert.Equal(130, exit);
    }

    [Fact]
    public async Task Get_WatchWithSelector_PrintsOnlyMatchingChanges()
    {
        await using var plane = await ControlPlane.StartAsync();
        await plane.RunWithInputAsync(SampleManifests.Reviews, "apply", "-f", "-");
        var output = new LineSignal("MODIFIED");
        using var stop = new CancellationTokenSource(Meshctl.Timeout);
        var watch = MeshctlApp.RunAsync(["get", "vs", "-A", "-l", "app=ratings", "-w", "--server", plane.Server], new CliConsole(output, TextWriter.Null, TextReader.Null), stop.Token);

        // The listing is empty, so the watch starts from the list's revision: these changes come after it.
        var ratings = SampleManifests.Reviews.Replace("reviews", "ratings", StringComparison.Ordinal);
        await plane.RunWithInputAsync(SampleManifests.Reviews.Replace("subset: v1", "subset: v2", StringComparison.Ordinal), "apply", "-f", "-");
        await plane.RunWithInputAsync(ratings, "apply", "-f", "-");
        await plane.RunWithInputAsync(ratings.Replace("subset: v1", "subset: v2", StringComparison.Ordinal), "apply", "-f", "-");
        await output.Seen.WaitAsync(Meshctl.Timeout);
        await stop.CancelAsync();
        await watch.WaitAsync(Meshctl.Timeout);

        Assert.All(output.Lines, l => Assert.DoesNotContain("/reviews", l, StringComparison.Ordinal));
        Assert.Contains(output.Lines, l => l.StartsWith("ADDED", StringComparison.Ordinal) && l.Contains("virtualservice.networking.istio.io/ratings", StringComparison.Ordinal));
    }

    /// <summary>Collects lines and signals when the listing is out and when a line with the marker arrives.</summary>
    private sealed class LineSignal(string marker) : TextWriter
    {
        private readonly System.Text.StringBuilder _line = new();
        private readonly TaskCompletionSource _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public Task Listed => _listed.Task;

        public Task Seen => _seen.Task;

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value != '\n')
                {
                    _line.Append(value);
                    return;
                }

                var line = _line.ToString();
                _line.Clear();
                Lines.Enqueue(line);
                if (line.StartsWith("reviews", StringComparison.Ordinal))
                {
                    _listed.TrySetResult();
                }

                if (line.StartsWith(marker, StringComparison.Ordinal))
                {
                    _seen.TrySetResult();
                }
            }
        }
    }
}
