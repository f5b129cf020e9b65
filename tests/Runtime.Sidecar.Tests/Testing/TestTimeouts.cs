namespace Runtime.Sidecar.Tests.Testing;

/// <summary>
/// Every await in these tests is bounded so a hang fails with context instead of stalling the run. Generous:
/// the machine has two cores and other builds may be running.
/// </summary>
internal static class TestTimeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>For the bulk-transfer tests (hundreds of MB through two Kestrel hops).</summary>
    public static readonly TimeSpan Bulk = TimeSpan.FromMinutes(3);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Default);

    public static Task Within(this Task task) => task.WaitAsync(Default);

    public static Task<T> Within<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Default);

    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(Default);
}
