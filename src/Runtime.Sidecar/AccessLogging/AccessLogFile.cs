using Runtime.Sidecar.Hosting;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// A log file opened because mesh config names it: every write holds a lease while it enqueues, and once config
/// stops naming the file the last lease flushes and closes it (<see cref="LeasedLifetime"/>). So a request that
/// picked the file under the old config still gets its line in, and nothing writes after the close.
/// </summary>
internal sealed class AccessLogFile(AccessLogWriter writer)
{
    /// <summary>The file's writer; enqueue only while holding a lease.</summary>
    public AccessLogWriter Writer => writer;

    /// <summary>The leases on the file; closing disposes the writer, which writes what is queued first.</summary>
    public LeasedLifetime Lifetime { get; } = new(() => writer.DisposeAsync().AsTask());
}
