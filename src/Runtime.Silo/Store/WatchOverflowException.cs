namespace Runtime.Silo.Store;

/// <summary>
/// A watcher read too slowly and its buffer filled up; the watch was ended so writers are never held back.
/// Every event up to <see cref="LastRevision"/> was delivered in order; re-watch from it.
/// </summary>
public sealed class WatchOverflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="lastRevision">The revision of the last event delivered.</param>
    /// <param name="capacity">The buffer capacity that was exceeded.</param>
    public WatchOverflowException(long lastRevision, int capacity)
        : base($"watch fell more than {capacity} events behind and was ended; watch again from revision {lastRevision} (the last revision received)")
    {
        LastRevision = lastRevision;
    }

    /// <summary>The revision of the last event delivered; pass it as <c>sinceRevision</c> to continue.</summary>
    public long LastRevision { get; }
}
