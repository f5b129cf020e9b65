namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// A log file opened because mesh config names it, reference-counted: every write holds a lease while it enqueues,
/// and once config stops naming the file (<see cref="Retire"/>) the last lease to go flushes and closes it. So a
/// request that picked the file under the old config still gets its line in, and nothing writes after the close.
/// </summary>
internal sealed class AccessLogFile(AccessLogWriter writer)
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _leases;
    private int _retired;
    private int _closing;

    /// <summary>The file's writer; enqueue only while holding a lease.</summary>
    public AccessLogWriter Writer => writer;

    /// <summary>Completes once the file is flushed and closed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Takes a lease; false when the file was retired (open it anew instead).</summary>
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

    /// <summary>Returns a lease; the last one of a retired file closes it.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) != 0)
        {
            Close();
        }
    }

    /// <summary>Config no longer names the file: close it now, or when the last lease is returned.</summary>
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
            await writer.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _closed.TrySetResult();
        }
    }
}
