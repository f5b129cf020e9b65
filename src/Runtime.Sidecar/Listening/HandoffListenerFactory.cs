using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Runtime.Sidecar.Listening;

/// <summary>Binds <see cref="HandoffEndPoint"/>s to listeners that accept nothing; other endpoints stay with Kestrel's socket transport.</summary>
internal sealed class HandoffListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is HandoffEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IConnectionListener>(new IdleListener(endpoint));

    private sealed class IdleListener(EndPoint endpoint) : IConnectionListener
    {
        private readonly TaskCompletionSource<ConnectionContext?> _unbound = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public EndPoint EndPoint => endpoint;

        // Completes (with no connection) only when Kestrel unbinds.
        public ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) =>
            new(_unbound.Task.WaitAsync(cancellationToken));

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _unbound.TrySetResult(null);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _unbound.TrySetResult(null);
            return ValueTask.CompletedTask;
        }
    }
}
