using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// One pooled upstream client shared by every cluster with the same <see cref="ConnectionPoolClientSettings"/>.
/// Reference counted: each cluster using it holds one reference and each request in flight holds one, so the
/// client is disposed only once no cluster uses it and its last request has finished.
/// </summary>
internal sealed class ConnectionPoolClient
{
    private readonly Action<ConnectionPoolClient> _retired;
    private int _users = 1;

    /// <summary>Creates a client holding one reference (the caller's).</summary>
    public ConnectionPoolClient(ConnectionPoolClientSettings settings, Action<ConnectionPoolClient> retired)
    {
        Settings = settings;
        Invoker = ForwarderClientFactory.Create(settings.ToOptions());
        _retired = retired;
    }

    /// <summary>What the client was built from.</summary>
    public ConnectionPoolClientSettings Settings { get; }

    /// <summary>The client to pass as <see cref="ForwardRequest.Client"/>.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>Whether the client was disposed (no users left).</summary>
    public bool IsDisposed => Volatile.Read(ref _users) <= 0;

    /// <summary>Takes a reference; false when the client is already disposed (take a fresh one instead).</summary>
    public bool TryAddRef()
    {
        var users = Volatile.Read(ref _users);
        while (users > 0)
        {
            var seen = Interlocked.CompareExchange(ref _users, users + 1, users);
            if (seen == users)
            {
                return true;
            }

            users = seen;
        }

        return false;
    }

    /// <summary>Drops a reference; the last one disposes the client.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            _retired(this);
            Invoker.Dispose();
        }
    }
}
