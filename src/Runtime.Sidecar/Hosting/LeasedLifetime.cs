namespace Runtime.Sidecar.Hosting;

/// <summary>
/// The lifetime of something opened because config named it (an access-log file, a collector's exporter): users hold
/// a lease while they use it, and once config stops naming it (<see cref="Retire"/>) the last lease to go closes it.
/// So work in flight under the old config finishes on it, and nothing uses it after the close.
/// </summary>
internal sealed class LeasedLifetime(Func<Task> close)
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _leases;
    private int _retired;
    private int _closing;

    /// <summary>Completes once the close ran.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Takes a lease; false when already retired (open a new one instead).</summary>
    public bool TryAcquire()
    {
        // Interlocked operations are full fences: either Retire sees this lease, or this sees the retirement.
        Interlocked.Increment(ref _leases);
        if (Volatile.Read(ref _retired) == 0)
        {
            return true;
        }

        Release();
        return false;
    }

    /// <summary>Returns a lease; the last one after <see cref="Retire"/> closes.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) != 0)
        {
            Close();
        }
    }

    /// <summary>Config no longer names it: close now, or when the last lease is returned.</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _leases) == 0)
        {
            Close();
        }
    }

    private void Close()
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _ = CloseAsync();
        }
    }

    private async Task CloseAsync()
    {
        try
        {
            await close().ConfigureAwait(false);
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
