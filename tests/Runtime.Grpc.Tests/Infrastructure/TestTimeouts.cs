namespace Runtime.Grpc.Tests.Infrastructure;

/// <summary>Every await in these tests is bounded, so a hang fails with context instead of stalling the run.</summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(15);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task Within(this Task task) => task.WaitAsync(Default);

    public static Task<List<T>> CollectAsync<T>(this IAsyncEnumerable<T> source) => Collect(source).WaitAsync(Default);

    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> source)
    {
        var items = new List<T>();
        await foreach (var item in source)
        {
            items.Add(item);
        }

        return items;
    }
}
