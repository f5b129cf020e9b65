namespace Runtime.Sidecar.Tests.Testing;

/// <summary>A one-shot barrier between a test and a server handler, instead of sleeps.</summary>
internal sealed class Gate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsOpen => _opened.Task.IsCompleted;

    public void Open() => _opened.TrySetResult();

    /// <summary>Waits for <see cref="Open"/>, failing with <paramref name="what"/> after the default timeout.</summary>
    public async Task WaitAsync(string what)
    {
        try
        {
            await _opened.Task.WaitAsync(TestTimeouts.Default);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Timed out after {TestTimeouts.Default} waiting for: {what}", ex);
        }
    }

    /// <summary>Waits for <see cref="Open"/> or <paramref name="cancellationToken"/> (for handlers released by an abort).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _opened.Task.WaitAsync(TestTimeouts.Default, cancellationToken);
}
