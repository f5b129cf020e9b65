namespace Runtime.Sidecar.Tests.Mesh;

/// <summary>
/// Waits for a condition another process or thread brings about (a pushed config, a registered endpoint),
/// checking it every 50 ms up to a deadline, and fails with what it was waiting for.
/// </summary>
internal static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task Async(string what, Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        Exception? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"waited {Deadline.TotalSeconds}s for {what}" + (last is null ? "" : $"; last error: {last.Message}"));
    }
}
