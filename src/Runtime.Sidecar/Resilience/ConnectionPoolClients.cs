namespace Runtime.Sidecar.Resilience;

/// <summary>The live pooled clients, one per distinct <see cref="ConnectionPoolClientSettings"/>.</summary>
internal sealed class ConnectionPoolClients
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ConnectionPoolClientSettings, ConnectionPoolClient> _clients = [];

    /// <summary>How many clients are alive.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _clients.Count;
            }
        }
    }

    /// <summary>A client for <paramref name="settings"/> with one reference taken for the caller; release it with <see cref="ConnectionPoolClient.Release"/>.</summary>
    public ConnectionPoolClient Rent(ConnectionPoolClientSettings settings)
    {
        lock (_lock)
        {
            if (_clients.TryGetValue(settings, out var existing) && existing.TryAddRef())
            {
                return existing;
            }

            var client = new ConnectionPoolClient(settings, Retire);
            _clients[settings] = client;
            return client;
        }
    }

    private void Retire(ConnectionPoolClient client)
    {
        lock (_lock)
        {
            if (_clients.TryGetValue(client.Settings, out var current) && ReferenceEquals(current, client))
            {
                _clients.Remove(client.Settings);
            }
        }
    }
}
