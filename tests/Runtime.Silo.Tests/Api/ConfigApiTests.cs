using System.Text.Json;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Resources;
using Runtime.Grpc;
using Runtime.Silo.Tests.Testing;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Api;

public sealed class ConfigApiTests
{
    private const string Reviews = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: bookinfo
          labels:
            app: reviews
        spec:
          hosts:
          - reviews
          http:
          - route:
            - destination:
                host: reviews
                subset: v1
              weight: 80
            - destination:
                host: reviews
                subset: v2
              weight: 20
        """;

    public static TheoryData<string> SeedFiles() => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures", "seeds"), "*.yaml").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(SeedFiles))]
    public async Task Apply_SeedManifest_ListsBackIdenticallyAndSurvivesRestart(string file)
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "seeds", file));
        var expected = LastDefinitions(ManifestReader.Read(manifest, file));
        Assert.NotEmpty(expected);
        await using var api = await ApiFixture.StartAsync();

        var applied = await api.Client.ApplyAsync(manifest, file);
        Assert.Equal(expected.Count, applied.Results.Count);
        Assert.All(applied.Results, r => Assert.Equal(V1.ApplyOutcome.Created, r.Outcome));

        await AssertStoredAsync(api, expected);
        await api.RestartAsync();
        await AssertStoredAsync(api, expected);

        var again = await api.Client.ApplyAsync(manifest, file);
        Assert.All(again.Results, r => Assert.Equal(V1.ApplyOutcome.Unchanged, r.Outcome));
    }

    [Fact]
    public async Task Apply_OneInvalidDocument_StoresNothingAndReportsEveryError()
    {
        await using var api = await ApiFixture.StartAsync();
        var manifest = Reviews + """

            ---
            apiVersion: networking.istio.io/v1beta1
            kind: VirtualService
            metadata:
              name: broken
            spec:
              hosts: [broken]
              htp: []
              http:
              - route:
                - destination:
                    host: broken
                  weight: -5
            """;

        var error = await Assert.ThrowsAsync<GrpcException>(() => api.Client.ApplyAsync(manifest, "two.yaml"));

        Assert.Equal(GrpcStatusCode.InvalidArgument, error.Status);
        var issues = error.Details.Select(d => d.Unpack<V1.ValidationIssue>()).ToList();
        Assert.Contains(issues, i => i.Path == "spec.htp" && i.Message.Contains("did you mean", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Path == "spec.http[0].route[0].weight");
        Assert.All(issues, i => Assert.Equal("two.yaml", i.Source));
        Assert.Contains("spec.http[0].route[0].weight", error.Message, StringComparison.Ordinal);
        Assert.Empty((await api.Client.ListAsync()).Resources);
    }

    [Fact]
    public async Task Apply_StaleResourceVersion_IsAbortedWithConflict()
    {
        await using var api = await ApiFixture.StartAsync();
        var first = await api.Client.ApplyAsync(Reviews);
        var version = first.Results[0].Resource.Metadata.ResourceVersion;
        await api.Client.ApplyAsync(Reviews.Replace("weight: 80", "weight: 70", StringComparison.Ordinal).Replace("weight: 20", "weight: 30", StringComparison.Ordinal));

        var stale = Reviews.Replace("  labels:", $"  resourceVersion: \"{version}\"\n  labels:", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<GrpcException>(() => api.Client.ApplyAsync(stale));

        Assert.Equal(GrpcStatusCode.Aborted, error.Status);
        Assert.Contains("stale", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_DryRun_ReportsOutcomeAndStoresNothing()
    {
        await using var api = await ApiFixture.StartAsync();

        var reply = await api.Client.ApplyAsync(Reviews, dryRun: true);

        Assert.Equal(V1.ApplyOutcome.Created, Assert.Single(reply.Results).Outcome);
        Assert.Empty((await api.Client.ListAsync()).Resources);
    }

    [Fact]
    public async Task Get_MissingResource_IsNotFoundNamingIt()
    {
        await using var api = await ApiFixture.StartAsync();

        var error = await Assert.ThrowsAsync<GrpcException>(() => api.Client.GetAsync("vs", "bookinfo", "nope"));

        Assert.Equal(GrpcStatusCode.NotFound, error.Status);
        Assert.Equal("virtualservices.networking.istio.io \"nope\" not found in namespace \"bookinfo\"", error.Message);
    }

    [Fact]
    public async Task Get_UnknownKind_IsInvalidArgument()
    {
        await using var api = await ApiFixture.StartAsync();

        var error = await Assert.ThrowsAsync<GrpcException>(() => api.Client.GetAsync("virtualservise", "default", "x"));

        Assert.Equal(GrpcStatusCode.InvalidArgument, error.Status);
        Assert.Contains("unknown resource kind", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ByShortKindAndLabelSelector_FiltersResources()
    {
        await using var api = await ApiFixture.StartAsync();
        await api.Client.ApplyAsync(Reviews + "\n---\n" + Reviews.Replace("name: reviews\n", "name: ratings\n", StringComparison.Ordinal).Replace("app: reviews", "app: ratings", StringComparison.Ordinal));

        var byLabel = await api.Client.ListAsync("vs", selector: "app in (ratings)");
        var badSelector = await Assert.ThrowsAsync<GrpcException>(() => api.Client.ListAsync("vs", selector: "app in (x"));

        Assert.Equal("ratings", Assert.Single(byLabel.Resources).Metadata.Name);
        Assert.Equal(GrpcStatusCode.InvalidArgument, badSelector.Status);
    }

    [Fact]
    public async Task Delete_ExistingThenMissing_DeletesThenNotFound()
    {
        await using var api = await ApiFixture.StartAsync();
        await api.Client.ApplyAsync(Reviews);
        var request = new V1.DeleteRequest { Kind = "virtualservices", Namespace = "bookinfo", Name = "reviews" };

        var deleted = await api.Client.CallAsync("ConfigService/Delete", request, V1.DeleteResponse.Parser);
        var again = await Assert.ThrowsAsync<GrpcException>(() => api.Client.CallAsync("ConfigService/Delete", request, V1.DeleteResponse.Parser));

        Assert.Equal("reviews", deleted.Resource.Metadata.Name);
        Assert.Equal(GrpcStatusCode.NotFound, again.Status);
    }

    [Fact]
    public async Task DeleteAndWatch_NegativeRevision_AreInvalidArgument()
    {
        await using var api = await ApiFixture.StartAsync();
        var delete = new V1.DeleteRequest { Kind = "vs", Name = "reviews", ResourceVersion = -1 };

        var deleteError = await Assert.ThrowsAsync<GrpcException>(() => api.Client.CallAsync("ConfigService/Delete", delete, V1.DeleteResponse.Parser));
        var watchError = await Assert.ThrowsAsync<GrpcException>(async () =>
        {
            await foreach (var _ in api.Client.ServerStreamingAsync("/runtime.mesh.v1.ConfigService/Watch", new V1.WatchRequest { SinceRevision = -5 }, V1.WatchEvent.Parser))
            {
            }
        });

        Assert.Equal(GrpcStatusCode.InvalidArgument, deleteError.Status);
        Assert.Equal(GrpcStatusCode.InvalidArgument, watchError.Status);
    }

    [Fact]
    public async Task Apply_StructuredResourceWithOutOfRangeTimestamp_IsStoredWithTheStoresOwnTimestamps()
    {
        await using var api = await ApiFixture.StartAsync();
        var resource = ResourceMessages.ToMessage(ManifestReader.Read(Reviews, "r").Resources.Single());
        resource.Metadata.CreationTimestamp = new Google.Protobuf.WellKnownTypes.Timestamp { Seconds = long.MaxValue };
        var request = new V1.ApplyRequest();
        request.Resources.Add(resource);

        var reply = await api.Client.CallAsync("ConfigService/Apply", request, V1.ApplyResponse.Parser);

        var stored = Assert.Single(reply.Results).Resource.Metadata;
        Assert.InRange(stored.CreationTimestamp.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task Validate_InvalidManifest_ReturnsFindingsWithoutError()
    {
        await using var api = await ApiFixture.StartAsync();
        var request = new V1.ValidateRequest();
        request.Manifests.Add(new V1.Manifest { Source = "x.yaml", Content = Reviews.Replace("weight: 80", "weight: -80", StringComparison.Ordinal) });

        var reply = await api.Client.CallAsync("ConfigService/Validate", request, V1.ValidateResponse.Parser);

        Assert.False(reply.Valid);
        Assert.Contains(reply.Issues, i => i.Path == "spec.http[0].route[0].weight");
        Assert.Empty((await api.Client.ListAsync()).Resources);
    }

    [Fact]
    public async Task Watch_FromStart_SendsStateBookmarkThenChanges()
    {
        await using var api = await ApiFixture.StartAsync();
        await api.Client.ApplyAsync(Reviews);
        using var cancel = new CancellationTokenSource(Timeouts.Default);
        var stream = api.Client.ServerStreamingAsync("/runtime.mesh.v1.ConfigService/Watch", new V1.WatchRequest { Kind = "vs" }, V1.WatchEvent.Parser, cancellationToken: cancel.Token);
        await using var events = stream.GetAsyncEnumerator(cancel.Token);

        var added = await events.Next("the initial state");
        var bookmark = await events.Next("the bookmark");
        await api.Client.ApplyAsync(Reviews.Replace("weight: 80", "weight: 60", StringComparison.Ordinal).Replace("weight: 20", "weight: 40", StringComparison.Ordinal));
        var modified = await events.Next("the change");

        Assert.Equal(V1.WatchEventType.Added, added.Type);
        Assert.Equal(V1.WatchEventType.Bookmark, bookmark.Type);
        Assert.Equal(V1.WatchEventType.Modified, modified.Type);
        Assert.Equal(2, modified.Resource.Metadata.Generation);
    }

    [Fact]
    public async Task Apply_RandomAndTruncatedInput_NeverBreaksTheServer()
    {
        await using var api = await ApiFixture.StartAsync();
        var random = new Random(20261121);
        var seed = Reviews;
        for (var i = 0; i < 150; i++)
        {
            var text = (i % 3) switch
            {
                0 => seed[..random.Next(seed.Length)],
                1 => Mutate(seed, random),
                _ => new string([.. Enumerable.Range(0, random.Next(200)).Select(_ => (char)random.Next(1, 0x2FF))]),
            };
            try
            {
                await api.Client.ApplyAsync(text, $"fuzz-{i}.yaml");
            }
            catch (GrpcException ex)
            {
                Assert.True(ex.Status == GrpcStatusCode.InvalidArgument, $"case {i}: {ex.Status} {ex.Message}");
            }
        }

        var version = await api.Client.CallAsync("ServerInfoService/GetVersion", new V1.GetVersionRequest(), V1.GetVersionResponse.Parser);
        Assert.Equal("sqlite", version.Store);
    }

    private static string Mutate(string text, Random random)
    {
        const string Noise = "-:[]{}\"' \n\t#&*!|>%@`";
        var chars = text.ToCharArray();
        for (var n = 0; n < 5; n++)
        {
            chars[random.Next(chars.Length)] = Noise[random.Next(Noise.Length)];
        }

        return new string(chars);
    }

    private static List<MeshResource> LastDefinitions(ManifestReadResult read)
    {
        Assert.False(read.HasErrors, string.Join("\n", read.Issues));
        return [.. read.Resources.GroupBy(r => r.Key).Select(g => g.Last())];
    }

    private static async Task AssertStoredAsync(ApiFixture api, List<MeshResource> expected)
    {
        var listed = (await api.Client.ListAsync()).Resources.Select(r => ResourceMessages.FromMessage(r)).ToDictionary(r => r.Key);
        Assert.Equal(expected.Count, listed.Count);
        foreach (var resource in expected)
        {
            Assert.True(listed.TryGetValue(resource.Key, out var stored), $"{resource.Key} was not listed back");
            Assert.True(JsonElement.DeepEquals(resource.Spec, stored!.Spec), $"{resource.Key}: stored spec {stored.Spec.GetRawText()} differs from applied {resource.Spec.GetRawText()}");
            Assert.Equal(resource.ApiVersion, stored.ApiVersion);
            Assert.Equal(resource.Metadata.Labels, stored.Metadata.Labels);
        }
    }
}
