namespace Runtime.Silo.Store;

/// <summary>
/// In-process fan-out of committed changes to watchers. <see cref="Publish"/> is called by the store
/// after commit, in revision order, while it still holds its write lock, so every subscriber sees
/// changes in order.
/// </summary>
internal sealed class ChangeFeed
{
    private readonly Lock _gate = new();
    private ChangeSubscription[] _subscribers = [];
    private bool _completed;

    public ChangeSubscription Subscribe(string? kind, string? @namespace, int capacity)
    {
        var subscription = new ChangeSubscription(this, kind, @namespace, capacity);
        lock (_gate)
        {
            if (_completed)
            {
                subscription.Complete();
            }
            else
            {
                _subscribers = [.. _subscribers, subscription];
            }
        }

        return subscription;
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    public void Publish(IReadOnlyList<ConfigChange> changes)
    {
        var subscribers = Volatile.Read(ref _subscribers);
        foreach (var subscriber in subscribers)
        {
            foreach (var change in changes)
            {
                if (!subscriber.TryDeliver(change))
                {
                    Unsubscribe(subscriber);
                    break;
                }
            }
        }
    }

    public void CompleteAll()
    {
        ChangeSubscription[] subscribers;
        lock (_gate)
        {
            _completed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }
    }

    public void Unsubscribe(ChangeSubscription subscription)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }
}
