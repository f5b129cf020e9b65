using System.Threading.Channels;

namespace Runtime.Silo.Store;

/// <summary>
/// One watcher's bounded buffer of live changes. Writers never wait on it: when it is full the
/// subscription is marked overflowed and completed, and the watcher ends with <see cref="WatchOverflowException"/>.
/// </summary>
internal sealed class ChangeSubscription : IDisposable
{
    private readonly Channel<ConfigChange> _channel;
    private readonly ChangeFeed _feed;
    private readonly string? _kind;
    private readonly string? _namespace;
    private volatile bool _overflowed;

    public ChangeSubscription(ChangeFeed feed, string? kind, string? @namespace, int capacity)
    {
        _feed = feed;
        _kind = kind;
        _namespace = @namespace;
        Capacity = capacity;
        _channel = Channel.CreateBounded<ConfigChange>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public int Capacity { get; }

    public bool Overflowed => _overflowed;

    public ChannelReader<ConfigChange> Reader => _channel.Reader;

    public bool Wants(ConfigChange change) =>
        change.Resource is { } r
        && (_kind is null || string.Equals(_kind, r.Kind, StringComparison.Ordinal))
        && (_namespace is null || string.Equals(_namespace, r.Metadata.Namespace, StringComparison.Ordinal));

    /// <summary>Queues a change without blocking; returns false when the subscriber overflowed and was ended.</summary>
    public bool TryDeliver(ConfigChange change)
    {
        if (!Wants(change))
        {
            return true;
        }

        if (_channel.Writer.TryWrite(change))
        {
            return true;
        }

        _overflowed = true;
        _channel.Writer.TryComplete();
        return false;
    }

    public void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _channel.Writer.TryComplete();
        _feed.Unsubscribe(this);
    }
}
