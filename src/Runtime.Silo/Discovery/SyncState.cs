namespace Runtime.Silo.Discovery;

/// <summary>How a proxy's applied config relates to what the control plane computed for it.</summary>
internal enum SyncState
{
    /// <summary>ACKed the latest version computed for it.</summary>
    Synced,

    /// <summary>A newer version was pushed (or is pending) and not yet ACKed.</summary>
    Stale,

    /// <summary>Rejected the latest version.</summary>
    Nacked,

    /// <summary>Registered but no Subscribe stream is open.</summary>
    Disconnected,
}
