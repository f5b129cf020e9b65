namespace Runtime.Silo.Discovery;

/// <summary>Timing of endpoint registration and snapshot distribution.</summary>
internal sealed class DiscoveryOptions
{
    /// <summary>How often sidecars are told to heartbeat. Default 5 s; must be positive and shorter than <see cref="Ttl"/>.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A registration without a heartbeat (and without an open Subscribe stream) for this long is dropped.
    /// Default 15 s (three missed heartbeats).
    /// </summary>
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often expired registrations are looked for. Default 1 s; must be positive.</summary>
    public TimeSpan ExpiryScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Snapshots are recomputed once changes have been quiet this long, so a burst (a multi-resource apply, a
    /// rollout registering many sidecars) becomes one push. Default 100 ms; at most <see cref="PushMaxDelay"/>.
    /// </summary>
    public TimeSpan PushDebounce { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A continuous stream of changes still pushes at least this often. Default 1 s.</summary>
    public TimeSpan PushMaxDelay { get; set; } = TimeSpan.FromSeconds(1);
}
