namespace Runtime.Silo.Tests.Testing;

internal static class Timeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static async Task<T> Within<T>(this Task<T> task, string what)
    {
        try
        {
            return await task.WaitAsync(Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"timed out after {Default.TotalSeconds}s waiting for {what}", ex);
        }
    }

    public static async Task Within(this Task task, string what)
    {
        try
        {
            await task.WaitAsync(Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"timed out after {Default.TotalSeconds}s waiting for {what}", ex);
        }
    }

    public static async Task<T> Next<T>(this IAsyncEnumerator<T> enumerator, string what)
    {
        var moved = await enumerator.MoveNextAsync().AsTask().Within(what);
        Assert.True(moved, $"the stream ended while waiting for {what}");
        return enumerator.Current;
    }
}
