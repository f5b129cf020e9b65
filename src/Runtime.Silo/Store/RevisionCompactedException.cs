namespace Runtime.Silo.Store;

/// <summary>
/// A watch asked to resume from a revision the change log no longer reaches back to.
/// Maps to gRPC <c>OUT_OF_RANGE</c>; the client must list (or watch from revision 0) again.
/// </summary>
public sealed class RevisionCompactedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="requestedRevision">The revision the watch asked to resume after.</param>
    /// <param name="compactedRevision">The newest revision removed from the change log.</param>
    public RevisionCompactedException(long requestedRevision, long compactedRevision)
        : base($"revision {requestedRevision} has been compacted (the change log starts after revision {compactedRevision}); watch from revision 0 to get the current state and continue from its bookmark")
    {
        RequestedRevision = requestedRevision;
        CompactedRevision = compactedRevision;
    }

    /// <summary>The revision the watch asked to resume after.</summary>
    public long RequestedRevision { get; }

    /// <summary>The newest revision removed from the change log; watches may resume from it or later.</summary>
    public long CompactedRevision { get; }
}
