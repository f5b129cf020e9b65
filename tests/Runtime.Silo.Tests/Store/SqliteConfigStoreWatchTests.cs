using Runtime.Abstractions.Resources;
using Runtime.Silo.Store;
using Runtime.Silo.Tests.Testing;
using static Runtime.Silo.Tests.Testing.Resources;

namespace Runtime.Silo.Tests.Store;

public sealed class SqliteConfigStoreWatchTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task WatchAsync_FromZero_SnapshotThenBookmarkThenLive()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("a"), Make("b"), Make("x", kind: "DestinationRule")], false, None).Within("apply");
        await using var watch = h.Store.WatchAsync("VirtualService", null, 0, None).GetAsyncEnumerator();

        var first = await watch.Next("snapshot a");
        var second = await watch.Next("snapshot b");
        var bookmark = await watch.Next("bookmark");
        await h.Store.ApplyAsync([Make("a", """{"v":2}"""), Make("y", kind: "DestinationRule")], false, None).Within("apply");
        await h.Store.DeleteAsync(new ResourceKey("VirtualService", "default", "b"), 0, None).Within("delete");
        var modified = await watch.Next("modified a");
        var deleted = await watch.Next("deleted b");

        Assert.Equal((ConfigChangeType.Added, "a", 1L), (first.Type, first.Resource!.Metadata.Name, first.Revision));
        Assert.Equal((ConfigChangeType.Added, "b", 2L), (second.Type, second.Resource!.Metadata.Name, second.Revision));
        Assert.Equal((ConfigChangeType.Bookmark, 3L), (bookmark.Type, bookmark.Revision));
        Assert.Null(bookmark.Resource);
        Assert.Equal((ConfigChangeType.Modified, "a", 4L), (modified.Type, modified.Resource!.Metadata.Name, modified.Revision));
        Assert.Equal((ConfigChangeType.Deleted, "b", 6L), (deleted.Type, deleted.Resource!.Metadata.Name, deleted.Revision));
    }

    [Fact]
    public async Task WatchAsync_SnapshotUnderConcurrentWrites_NoGapNoDuplicate()
    {
        await using var h = await StoreHarness.OpenAsync();
        const int Writes = 300;
        using var writersStarted = new SemaphoreSlim(0);
        var writer = Task.Run(async () =>
        {
            writersStarted.Release();
            for (var i = 0; i < Writes; i++)
            {
                await h.Store.ApplyAsync([Make($"r{i % 20}", $$"""{"i":{{i}}}""")], false, None);
            }
        });
        await writersStarted.WaitAsync(Timeouts.Default);

        // State seen by the watcher: applying its events must reproduce the store's final state.
        var state = new Dictionary<string, long>();
        var lastRevision = 0L;
        var bookmarkSeen = false;
        await using var watch = h.Store.WatchAsync(null, null, 0, None).GetAsyncEnumerator();
        while (true)
        {
            if (bookmarkSeen && lastRevision == Writes)
            {
                break;
            }

            var change = await watch.Next("next change");
            if (change.Type == ConfigChangeType.Bookmark)
            {
                Assert.False(bookmarkSeen);
                bookmarkSeen = true;
                Assert.True(change.Revision >= lastRevision);
                lastRevision = change.Revision;
                continue;
            }

            if (bookmarkSeen)
            {
                Assert.Equal(lastRevision + 1, change.Revision); // every live revision exactly once, in order
                lastRevision = change.Revision;
            }

            state[change.Resource!.Metadata.Name] = change.Resource.Metadata.ResourceVersion;
        }

        await writer.Within("writer");
        var final = await h.Store.ListAsync(null, null, null, None).Within("list");
        Assert.Equal(final.Resources.ToDictionary(r => r.Metadata.Name, r => r.Metadata.ResourceVersion), state);
        Assert.Equal(Writes, final.Revision);
    }

    [Fact]
    public async Task WatchAsync_SinceRevision_ReplaysLaterChangesThenLive()
    {
        await using var h = await StoreHarness.OpenAsync();
        await h.Store.ApplyAsync([Make("a"), Make("b")], false, None).Within("apply");
        await h.Store.ApplyAsync([Make("a", """{"v":2}""")], false, None).Within("apply");
        await h.Store.DeleteAsync(new ResourceKey("VirtualService", "default", "b"), 0, None).Within("delete");
        await using var watch = h.Store.WatchAsync(null, "default", 1, None).GetAsyncEnumerator();

        var added = await watch.Next("added b");
        var modified = await watch.Next("modified a");
        var deleted = await watch.Next("deleted b");
        await h.Store.ApplyAsync([Make("c"), Make("other", ns: "prod")], false, None).Within("apply");
        var live = await watch.Next("live c");

        Assert.Equal((ConfigChangeType.Added, "b", 2L), (added.Type, added.Resource!.Metadata.Name, added.Revision));
        Assert.Equal((ConfigChangeType.Modified, "a", 3L), (modified.Type, modified.Resource!.Metadata.Name, modified.Revision));
        Assert.Equal(2, modified.Resource.Metadata.Generation);
        Assert.Equal((ConfigChangeType.Deleted, "b", 4L), (deleted.Type, deleted.Resource!.Metadata.Name, deleted.Revision));
        Assert.Equal((ConfigChangeType.Added, "c", 5L), (live.Type, live.Resource!.Metadata.Name, live.Revision));
    }

    [Fact]
    public async Task WatchAsync_SinceCompactedRevision_ThrowsRevisionCompacted()
    {
        await using var h = await StoreHarness.OpenAsync(o => o.ChangeLogMaxEntries = 5);
        for (var i = 0; i < 12; i++)
        {
            await h.Store.ApplyAsync([Make($"r{i}")], false, None).Within("apply");
        }

        var ex = await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await foreach (var _ in h.Store.WatchAsync(null, null, 3, None))
            {
            }
        }).Within("watch");
        Assert.Equal(3, ex.RequestedRevision);
        Assert.Equal(7, ex.CompactedRevision);

        // The oldest retained position still works.
        await using var watch = h.Store.WatchAsync(null, null, 7, None).GetAsyncEnumerator();
        Assert.Equal(8, (await watch.Next("replay from 7")).Revision);
    }

    [Fact]
    public async Task CompactAsync_EntriesOlderThanMaxAge_Removed()
    {
        await using var h = await StoreHarness.OpenAsync(o => o.ChangeLogMaxAge = TimeSpan.FromMinutes(10));
        await h.Store.ApplyAsync([Make("a"), Make("b")], false, None).Within("apply");
        h.Time.Advance(TimeSpan.FromMinutes(11));
        await h.Store.ApplyAsync([Make("c")], false, None).Within("apply");
        h.Time.Advance(TimeSpan.FromMinutes(5));

        await h.Store.CompactAsync(None).Within("compact");

        await Assert.ThrowsAsync<RevisionCompactedException>(async () =>
        {
            await using var e = h.Store.WatchAsync(null, null, 1, None).GetAsyncEnumerator();
            await e.MoveNextAsync();
        }).Within("watch");
        await using var watch = h.Store.WatchAsync(null, null, 2, None).GetAsyncEnumerator();
        Assert.Equal(3, (await watch.Next("replay from 2")).Revision);
    }

    [Fact]
    public async Task WatchAsync_SlowWatcher_EndedWithOverflowAndWriterNotBlocked()
    {
        await using var h = await StoreHarness.OpenAsync(o => o.WatchBufferCapacity = 4);
        await using var watch = h.Store.WatchAsync(null, null, 0, None).GetAsyncEnumerator();
        var bookmark = await watch.Next("bookmark");
        Assert.Equal(ConfigChangeType.Bookmark, bookmark.Type);

        // Nobody reads while 10 changes are written: the writer must not wait for the watcher.
        for (var i = 0; i < 10; i++)
        {
            await h.Store.ApplyAsync([Make($"r{i}")], false, None).Within("apply while watcher is stalled");
        }

        var delivered = new List<long>();
        var ex = await Assert.ThrowsAsync<WatchOverflowException>(async () =>
        {
            while (await watch.MoveNextAsync())
            {
                delivered.Add(watch.Current.Revision);
            }
        }).Within("overflow");
        Assert.Equal([1L, 2L, 3L, 4L], delivered);
        Assert.Equal(4, ex.LastRevision);
        Assert.Contains("watch again from revision 4", ex.Message);
        Assert.Equal(0, h.Store.WatcherCount);

        // Resuming from the reported revision loses nothing.
        await using var resumed = h.Store.WatchAsync(null, null, ex.LastRevision, None).GetAsyncEnumerator();
        Assert.Equal(5, (await resumed.Next("resumed")).Revision);
    }

    [Fact]
    public async Task CompleteWatches_OpenWatch_EndsNormally()
    {
        await using var h = await StoreHarness.OpenAsync();
        await using var watch = h.Store.WatchAsync(null, null, 0, None).GetAsyncEnumerator();
        await watch.Next("bookmark");
        var pending = watch.MoveNextAsync().AsTask();

        h.Store.CompleteWatches();

        Assert.False(await pending.Within("watch end"));
    }

    [Fact]
    public async Task WatchAsync_Cancelled_Unsubscribes()
    {
        await using var h = await StoreHarness.OpenAsync();
        using var cts = new CancellationTokenSource();
        var watch = h.Store.WatchAsync(null, null, 0, cts.Token).GetAsyncEnumerator(cts.Token);
        await watch.Next("bookmark");
        var pending = watch.MoveNextAsync().AsTask();
        Assert.Equal(1, h.Store.WatcherCount);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending).Within("cancelled watch");
        await watch.DisposeAsync();
        Assert.Equal(0, h.Store.WatcherCount);
    }
}
