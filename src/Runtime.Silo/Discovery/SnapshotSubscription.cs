using System.Threading.Channels;
using Runtime.Abstractions.Discovery;

namespace Runtime.Silo.Discovery;

/// <summary>
/// One open Subscribe stream's mailbox. It holds only the latest unsent snapshot: a new one replaces an
/// unsent older one, so a slow proxy skips intermediate versions (each snapshot is complete) and the
/// distributor never waits for any stream.
/// </summary>
internal sealed class SnapshotSubscription
{
    private readonly Channel<ProxySnapshot> _channel = Channel.CreateBounded<ProxySnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public SnapshotSubscription(string proxyId) => ProxyId = proxyId;

    public string ProxyId { get; }

    /// <summary>The snapshots to write, newest only; completes when the stream should end.</summary>
    public ChannelReader<ProxySnapshot> Snapshots => _channel.Reader;

    /// <summary>Queues <paramref name="snapshot"/>, replacing any snapshot not yet written; never blocks.</summary>
    public void Offer(ProxySnapshot snapshot) => _channel.Writer.TryWrite(snapshot);

    /// <summary>Ends the stream after the snapshot already queued (deregistration, shutdown).</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
