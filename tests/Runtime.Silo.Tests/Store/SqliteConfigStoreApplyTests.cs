using System.Diagnostics;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Selection;
using Runtime.Silo.Store;
using Runtime.Silo.Tests.Testing;
using static Runtime.Silo.Tests.Testing.Resources;

namespace Runtime.Silo.Tests.Store;

public sealed class SqliteConfigStoreApplyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task ApplyAsync_NewResource_CreatedWithBookkeeping()
    {
        await using var h = await StoreHarness.OpenAsync();
        var result = await h.Store.ApplyAsync([Make("reviews")], dryRun: false, None).Within("apply");

        var applied = Assert.Single(result.Results);
        Assert.Equal(ApplyOutcome.Created, applied.Outcome);
        Assert.Equal(1, result.Revision);
        var meta = applied.Resource.Metadata;
        Assert.Equal(1, meta.ResourceVersion);
        Assert.Equal(1, meta.Generation);
        Assert.False(string.IsNullOrEmpty(meta.Uid));
        Assert.Equal(h.Time.GetUtcNow(), meta.CreationTimestamp);
        Assert.Equal(meta.CreationTimestamp, meta.UpdateTimestamp);
        AssertSame(applied.Resource, await h.Store.GetAsync(new ResourceKey("VirtualService", "default", "reviews"), None).Within("get"));
        Assert.Equal(1, await h.Store.GetRevisionAsync(None).Within("revision"));
    }

    [Fact]
    public async Task ApplyAsync_SameContentDifferentKeyOrder_Unchanged()
    {
        await using var h = await StoreHarness.OpenAsync();
        var created = (await h.Store.ApplyAsync([Make("r", """{"a":1,"b":{"x":[1,2],"y":"z"}}""", labels: new Dictionary<string, string> { ["app"] = "r" })], false, None).Within("apply")).Results[0].Resource;
        h.Time.Advance(TimeSpan.FromMinutes(1));

        var result = await h.Store.ApplyAsync([Make("r", """{ "b": {"y":"z","x":[1,2]}, "a": 1.0 }""", labels: new Dictionary<string, string> { ["app"] = "r" })], false, None).Within("apply");

        Assert.Equal(ApplyOutcome.Unchanged, result.Results[0].Outcome);
        Assert.Equal(1, result.Revision);
        AssertSame(created, result.Results[0].Resource);
        AssertSame(created, await h.Store.GetAsync(created.Key, None).Within("get"));
    }

    [Fact]
    public async Task ApplyAsync_SpecChange_ConfiguredAndGenerationIncremented()
    {
        await using var h = await StoreHarness.OpenAsync();
        var created = (await h.Store.ApplyAsync([Make("r", """{"a":1}""")], false, None).Within("apply")).Results[0].Resource;
        h.Time.Advance(TimeSpan.FromSeconds(5));

        var result = await h.Store.ApplyAsync([Make("r", """{"a":2}""")], false, None).Within("apply");

        var applied = result.Results[0];
        Assert.Equal(ApplyOutcome.Configured, applied.Outcome);
        Assert.Equal(2, applied.Resource.Metadata.ResourceVersion);
        Assert.Equal(2, applied.Resource.Metadata.Generation);
        Assert.Equal(created.Metadata.Uid, applied.Resource.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, applied.Resource.Metadata.CreationTimestamp);
        Assert.Equal(h.Time.GetUtcNow(), applied.Resource.Metadata.UpdateTimestamp);
    }

    [Fact]
    public async Task ApplyAsync_LabelOrAnnotationOnlyChange_ConfiguredWithoutGenerationChange()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("r")], false, None).Within("apply");

        var labelled = await h.Store.ApplyAsync([Make("r", labels: new Dictionary<string, string> { ["v"] = "1" })], false, None).Within("apply");
        var annotated = await h.Store.ApplyAsync([Make("r", labels: new Dictionary<string, string> { ["v"] = "1" }, annotations: new Dictionary<string, string> { ["note"] = "x" })], false, None).Within("apply");
        var newApi = await h.Store.ApplyAsync([Make("r", labels: new Dictionary<string, string> { ["v"] = "1" }, annotations: new Dictionary<string, string> { ["note"] = "x" }, apiVersion: "networking.istio.io/v1")], false, None).Within("apply");

        Assert.Equal(ApplyOutcome.Configured, labelled.Results[0].Outcome);
        Assert.Equal(ApplyOutcome.Configured, annotated.Results[0].Outcome);
        Assert.Equal(ApplyOutcome.Configured, newApi.Results[0].Outcome);
        Assert.Equal(1, newApi.Results[0].Resource.Metadata.Generation);
        Assert.Equal(4, newApi.Results[0].Resource.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ApplyAsync_MixedBatch_EachResourceGetsItsOwnRevision()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("a"), Make("b")], false, None).Within("apply");

        var result = await h.Store.ApplyAsync([Make("a"), Make("b", """{"x":1}"""), Make("c")], false, None).Within("apply");

        Assert.Equal([ApplyOutcome.Unchanged, ApplyOutcome.Configured, ApplyOutcome.Created], result.Results.Select(r => r.Outcome));
        Assert.Equal([1L, 3L, 4L], result.Results.Select(r => r.Resource.Metadata.ResourceVersion));
        Assert.Equal(4, result.Revision);
    }

    [Fact]
    public async Task ApplyAsync_ConflictInTheMiddle_NothingWritten()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("a"), Make("b")], false, None).Within("apply");
        await h.Store.ApplyAsync([Make("b", """{"v":2}""")], false, None).Within("apply");

        var ex = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            h.Store.ApplyAsync([Make("a", """{"v":9}"""), Make("b", """{"v":9}""", resourceVersion: 2), Make("c")], false, None).Within("apply"));

        Assert.Equal("VirtualService default/b: resourceVersion 2 is stale (current 3); get the latest and apply again", ex.Message);
        Assert.Equal(2, ex.ExpectedResourceVersion);
        Assert.Equal(3, ex.CurrentResourceVersion);
        Assert.Equal(3, await h.Store.GetRevisionAsync(None).Within("revision"));
        var list = await h.Store.ListAsync(null, null, null, None).Within("list");
        Assert.Equal(["a", "b"], list.Resources.Select(r => r.Metadata.Name));
        Assert.Equal(1, list.Resources[0].Metadata.ResourceVersion);
    }

    [Fact]
    public async Task ApplyAsync_MatchingResourceVersion_Configured()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("a")], false, None).Within("apply");

        var result = await h.Store.ApplyAsync([Make("a", """{"v":2}""", resourceVersion: 1)], false, None).Within("apply");

        Assert.Equal(ApplyOutcome.Configured, result.Results[0].Outcome);
    }

    [Fact]
    public async Task ApplyAsync_ResourceVersionForMissingResource_Conflict()
    {
        await using var h = await StoreHarness.OpenAsync();

        var ex = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            h.Store.ApplyAsync([Make("ghost", resourceVersion: 7)], false, None).Within("apply"));

        Assert.Null(ex.CurrentResourceVersion);
        Assert.Contains("VirtualService default/ghost: resourceVersion 7", ex.Message);
        Assert.Contains("does not exist", ex.Message);
        Assert.Equal(0, await h.Store.GetRevisionAsync(None).Within("revision"));
    }

    [Fact]
    public async Task ApplyAsync_FutureResourceVersion_Conflict()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("a")], false, None).Within("apply");

        var ex = await Assert.ThrowsAsync<ResourceConflictException>(() =>
            h.Store.ApplyAsync([Make("a", """{"v":2}""", resourceVersion: 99)], false, None).Within("apply"));

        Assert.Contains("resourceVersion 99 is stale (current 1)", ex.Message);
    }

    [Fact]
    public async Task ApplyAsync_DuplicateKeys_ArgumentErrorNamingBoth()
    {
        await using var h = await StoreHarness.OpenAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            h.Store.ApplyAsync([Make("a"), Make("b"), Make("a", """{"v":2}""")], false, None).Within("apply"));

        Assert.Contains("resources[0] and resources[2] are both VirtualService default/a", ex.Message);
        Assert.Equal(0, await h.Store.GetRevisionAsync(None).Within("revision"));
    }

    [Fact]
    public async Task ApplyAsync_DryRun_ComputesOutcomesAndWritesNothing()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("a"), Make("b")], false, None).Within("apply");
        await using var watch = h.Store.WatchAsync(null, null, 2, None).GetAsyncEnumerator();
        var pending = watch.MoveNextAsync().AsTask();

        var result = await h.Store.ApplyAsync([Make("a"), Make("b", """{"v":2}"""), Make("c")], dryRun: true, None).Within("dry run");

        Assert.True(result.DryRun);
        Assert.Equal([ApplyOutcome.Unchanged, ApplyOutcome.Configured, ApplyOutcome.Created], result.Results.Select(r => r.Outcome));
        Assert.Equal(4, result.Revision);
        Assert.Equal(2, result.Results[1].Resource.Metadata.Generation);
        Assert.Equal(2, await h.Store.GetRevisionAsync(None).Within("revision"));
        Assert.Null(await h.Store.GetAsync(new ResourceKey("VirtualService", "default", "c"), None).Within("get"));
        Assert.Equal(1, (await h.Store.GetAsync(new ResourceKey("VirtualService", "default", "b"), None).Within("get"))!.Metadata.Generation);

        // A real write afterwards is the first event the watcher sees: the dry run published nothing.
        await h.Store.ApplyAsync([Make("d")], false, None).Within("apply");
        Assert.True(await pending.Within("watch event"));
        Assert.Equal("d", watch.Current.Resource!.Metadata.Name);
        Assert.Equal(3, watch.Current.Revision);
    }

    [Fact]
    public async Task ListAsync_KindNamespaceAndSelector_Filters()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync(
        [
            Make("reviews", labels: new Dictionary<string, string> { ["app"] = "reviews", ["tier"] = "web" }),
            Make("ratings", labels: new Dictionary<string, string> { ["app"] = "ratings" }),
            Make("reviews", ns: "prod", labels: new Dictionary<string, string> { ["app"] = "reviews" }),
            Make("reviews", kind: "DestinationRule", labels: new Dictionary<string, string> { ["app"] = "reviews", ["tier"] = "web" }),
        ], false, None).Within("apply");

        var all = await h.Store.ListAsync(null, null, null, None).Within("list");
        var vsDefault = await h.Store.ListAsync("VirtualService", "default", null, None).Within("list");
        var selected = await h.Store.ListAsync(null, null, LabelSelector.Parse("app=reviews,tier in (web)"), None).Within("list");
        var notInProd = await h.Store.ListAsync("VirtualService", null, LabelSelector.Parse("app,!tier"), None).Within("list");

        Assert.Equal(4, all.Resources.Count);
        Assert.Equal(4, all.Revision);
        Assert.Equal(["ratings", "reviews"], vsDefault.Resources.Select(r => r.Metadata.Name));
        Assert.Equal(["DestinationRule/default/reviews", "VirtualService/default/reviews"], selected.Resources.Select(r => r.Key.ToString()));
        Assert.Equal(["VirtualService/default/ratings", "VirtualService/prod/reviews"], notInProd.Resources.Select(r => r.Key.ToString()));
    }

    [Fact]
    public async Task DeleteAsync_Existing_ReturnsResourceAndAdvancesRevision()
    {
        await using var h = await StoreHarness.OpenAsync();
        var created = (await h.Store.ApplyAsync([Make("a")], false, None).Within("apply")).Results[0].Resource;

        var deleted = await h.Store.DeleteAsync(created.Key, 0, None).Within("delete");

        Assert.NotNull(deleted);
        AssertSame(created, deleted.Resource);
        Assert.Equal(2, deleted.Revision);
        Assert.Null(await h.Store.GetAsync(created.Key, None).Within("get"));
        Assert.Null(await h.Store.DeleteAsync(created.Key, 0, None).Within("delete again"));
        Assert.Equal(2, await h.Store.GetRevisionAsync(None).Within("revision"));
    }

    [Fact]
    public async Task DeleteAsync_StaleResourceVersion_ConflictAndKept()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("a")], false, None).Within("apply");
        await h.Store.ApplyAsync([Make("a", """{"v":2}""")], false, None).Within("apply");
        var key = new ResourceKey("VirtualService", "default", "a");

        var ex = await Assert.ThrowsAsync<ResourceConflictException>(() => h.Store.DeleteAsync(key, 1, None).Within("delete"));

        Assert.Equal("VirtualService default/a: resourceVersion 1 is stale (current 2); get the latest and delete again", ex.Message);
        Assert.NotNull(await h.Store.GetAsync(key, None).Within("get"));
        Assert.NotNull(await h.Store.DeleteAsync(key, 2, None).Within("delete"));
    }

    [Fact]
    public async Task ReopenAsync_AfterWrites_ServesIdenticalResources()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync(
        [
            Make("a", """{"http":[{"route":[{"destination":{"host":"a"},"weight":100}]}],"n":1.5e3,"s":"é\u0000"}""", labels: new Dictionary<string, string> { ["app"] = "a" }, annotations: new Dictionary<string, string> { ["k"] = "v" }),
            Make("b"),
        ], false, None).Within("apply");
        await h.Store.ApplyAsync([Make("b", """{"v":2}""")], false, None).Within("apply");
        await h.Store.DeleteAsync(new ResourceKey("VirtualService", "default", "a"), 0, None).Within("delete");
        await h.Store.ApplyAsync([Make("a", """{"v":3}""")], false, None).Within("apply");
        var before = await h.Store.ListAsync(null, null, null, None).Within("list");

        await h.ReopenAsync();

        var after = await h.Store.ListAsync(null, null, null, None).Within("list");
        Assert.Equal(before.Revision, after.Revision);
        Assert.Equal(5, after.Revision);
        Assert.Equal(before.Resources.Count, after.Resources.Count);
        for (var i = 0; i < before.Resources.Count; i++)
        {
            AssertSame(before.Resources[i], after.Resources[i]);
        }

        var next = await h.Store.ApplyAsync([Make("c")], false, None).Within("apply");
        Assert.Equal(6, next.Revision);
    }

    [Fact]
    public async Task ApplyAsync_TenThousandResources_FastAndAllStored()
    {
        await using var h = await StoreHarness.OpenAsync();
        var batch = Enumerable.Range(0, 10_000)
            .Select(i => Make($"vs-{i:D5}", $$$"""{"hosts":["svc-{{{i}}}"],"http":[{"route":[{"destination":{"host":"svc-{{{i}}}"}}]}]}""", labels: new Dictionary<string, string> { ["app"] = $"svc-{i % 10}" }))
            .ToList();
        var stopwatch = Stopwatch.StartNew();

        var result = await h.Store.ApplyAsync(batch, false, None).Within("10k apply");
        var reapplied = await h.Store.ApplyAsync(batch, false, None).Within("10k re-apply");

        stopwatch.Stop();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"10k apply + re-apply took {stopwatch.Elapsed}");
        Assert.All(result.Results, r => Assert.Equal(ApplyOutcome.Created, r.Outcome));
        Assert.All(reapplied.Results, r => Assert.Equal(ApplyOutcome.Unchanged, r.Outcome));
        Assert.Equal(10_000, result.Revision);
        Assert.Equal(1000, (await h.Store.ListAsync("VirtualService", "default", LabelSelector.Parse("app=svc-3"), None).Within("list")).Resources.Count);
    }
}
