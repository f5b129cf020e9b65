using System.Collections.Frozen;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Discovery;

/// <summary>
/// The distributor's record of one proxy: the latest snapshot computed for it, what it ACKed or NACKed,
/// and its open streams. Guarded by the distributor's lock.
/// </summary>
internal sealed class ProxyDistribution
{
    /// <summary>Recently pushed snapshots kept so an ACK of a skipped-over version can still be resolved.</summary>
    private const int RecentLimit = 8;

    private readonly List<ProxySnapshot> _recent = [];

    public ProxySnapshot? Latest { get; private set; }

    public string AckedVersion { get; private set; } = "";

    /// <summary>Resource key to resourceVersion of the ACKed snapshot; empty when the ACKed content is unknown.</summary>
    public IReadOnlyDictionary<ResourceKey, long> AckedResources { get; private set; } = FrozenDictionary<ResourceKey, long>.Empty;

    public string NackedVersion { get; private set; } = "";

    public string NackError { get; private set; } = "";

    public List<SnapshotSubscription> Subscriptions { get; } = [];

    public void SetLatest(ProxySnapshot snapshot)
    {
        Latest = snapshot;
        _recent.Add(snapshot);
        if (_recent.Count > RecentLimit)
        {
            _recent.RemoveAt(0);
        }
    }

    /// <summary>Records an ACK; any earlier NACK is cleared because the proxy has moved on.</summary>
    public void Ack(string version)
    {
        if (IsOlderThanAcked(version))
        {
            // A late ACK (e.g. from the proxy's previous stream) must not roll its state back.
            return;
        }

        AckedVersion = version;
        NackedVersion = "";
        NackError = "";
        var snapshot = _recent.LastOrDefault(s => s.Version == version);
        // An unknown version (the proxy's persisted one, after a control plane restart) has unknown content.
        AckedResources = snapshot is null
            ? FrozenDictionary<ResourceKey, long>.Empty
            : snapshot.Resources.ToFrozenDictionary(r => r.Key, r => r.Metadata.ResourceVersion);
    }

    /// <summary>Records a NACK; the proxy keeps its previous config, so the ACKed version stays.</summary>
    public void Nack(string version, string error)
    {
        if (IsOlderThanAcked(version))
        {
            return;
        }

        NackedVersion = version;
        NackError = error;
    }

    private bool IsOlderThanAcked(string version)
    {
        var index = _recent.FindLastIndex(s => s.Version == version);
        var acked = _recent.FindLastIndex(s => s.Version == AckedVersion);
        return index >= 0 && acked > index;
    }

    public SyncState StateFor(RegisteredProxy proxy) =>
        !proxy.Connected ? SyncState.Disconnected
        : Latest is null ? SyncState.Stale
        : NackedVersion == Latest.Version ? SyncState.Nacked
        : AckedVersion == Latest.Version ? SyncState.Synced
        : SyncState.Stale;
}
