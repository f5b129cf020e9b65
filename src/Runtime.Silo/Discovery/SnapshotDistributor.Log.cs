namespace Runtime.Silo.Discovery;

/// <summary>The distributor's log messages.</summary>
internal sealed partial class SnapshotDistributor
{
    [LoggerMessage(EventId = 320, Level = LogLevel.Information, Message = "Distribution loaded {Count} resources at revision {Revision}")]
    private partial void LogLoaded(int count, long revision);

    [LoggerMessage(EventId = 321, Level = LogLevel.Debug, Message = "Recomputed {Proxies} proxies at revision {Revision}: {Changed} new versions, {Pushed} pushed")]
    private partial void LogRecomputed(int proxies, int changed, int pushed, long revision);

    [LoggerMessage(EventId = 322, Level = LogLevel.Warning, Message = "Proxy {ProxyId} rejected version {Version}: {Error}")]
    private partial void LogNacked(string proxyId, string version, string error);

    [LoggerMessage(EventId = 323, Level = LogLevel.Warning, Message = "Distribution re-reads the whole config: {Reason}")]
    private partial void LogResync(string reason);

    [LoggerMessage(EventId = 324, Level = LogLevel.Error, Message = "Distribution lost the config change feed; retrying in 1 s")]
    private partial void LogWatchFailed(Exception exception);

    [LoggerMessage(EventId = 325, Level = LogLevel.Error, Message = "Snapshot recompute failed; it runs again on the next change")]
    private partial void LogRecomputeFailed(Exception exception);
}
